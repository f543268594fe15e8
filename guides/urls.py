from __future__ import annotations

from django.urls import path

from guides import views

app_name = "guides"

urlpatterns = [
    path("", views.guide_list, name="guide_list"),
    path("<slug:slug>/", views.guide_start, name="guide_start"),
    path("<slug:slug>/<slug:step_key>/", views.guide_step, name="guide_step"),
]
