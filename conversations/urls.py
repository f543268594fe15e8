from __future__ import annotations

from django.urls import path

from conversations import views

app_name = "conversations"

urlpatterns = [
    path("files/<int:pk>/", views.message_attachment, name="message_attachment"),
    path(
        "files/<int:pk>/thumbnail/",
        views.message_attachment,
        {"thumbnail": True},
        name="message_attachment_thumbnail",
    ),
]
