from __future__ import annotations

from django.urls import path

from suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("", views.suggestion_list, name="suggestion_list"),
    path("open/<str:kind>/<str:slug>/", views.suggestion_open, name="suggestion_open"),
]
