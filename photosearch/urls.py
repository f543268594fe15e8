from __future__ import annotations

from django.urls import path

from photosearch import views

app_name = "photosearch"

urlpatterns = [
    path("", views.photo_search, name="photo_search"),
]
