from __future__ import annotations

from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("new/", views.support_request_create, name="support_request_create"),
    path("sent/<str:token>/", views.support_request_sent, name="support_request_sent"),
    path("track/<str:token>/", views.support_request_track, name="support_request_track"),
    path("track/<str:token>/reply/", views.support_request_reply, name="support_request_reply"),
    path(
        "track/<str:token>/files/<int:pk>/",
        views.support_request_file,
        name="support_request_file",
    ),
    path(
        "track/<str:token>/files/<int:pk>/thumbnail/",
        views.support_request_file,
        {"thumbnail": True},
        name="support_request_file_thumbnail",
    ),
    path("attachments/<int:pk>/", views.support_attachment, name="support_attachment"),
    path(
        "attachments/<int:pk>/thumbnail/",
        views.support_attachment,
        {"thumbnail": True},
        name="support_attachment_thumbnail",
    ),
]
