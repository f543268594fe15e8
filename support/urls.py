from __future__ import annotations

from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("new/", views.support_request_create, name="support_request_create"),
    path("sent/<str:token>/", views.support_request_sent, name="support_request_sent"),
    path("attachments/<int:pk>/", views.support_attachment, name="support_attachment"),
    path(
        "attachments/<int:pk>/thumbnail/",
        views.support_attachment,
        {"thumbnail": True},
        name="support_attachment_thumbnail",
    ),
]
