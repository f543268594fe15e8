from __future__ import annotations

from django.urls import path

from returns import views

app_name = "returns"

urlpatterns = [
    path("new/", views.return_create, name="return_create"),
    path("submitted/<str:token>/", views.return_submitted, name="return_submitted"),
    path("track/<str:token>/", views.return_track, name="return_track"),
    path("track/<str:token>/answer/", views.return_answer, name="return_answer"),
    path("track/<str:token>/files/<int:pk>/", views.return_file, name="return_file"),
    path(
        "track/<str:token>/files/<int:pk>/thumbnail/",
        views.return_file,
        {"thumbnail": True},
        name="return_file_thumbnail",
    ),
    path("track/<str:token>/cancel/", views.return_cancel, name="return_cancel"),
]
