from __future__ import annotations

from django.urls import path

from troubleshooting import guide_views, views

app_name = "troubleshooting"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("articles/<slug:slug>/feedback/", views.article_feedback, name="article_feedback"),
    path("guides/", guide_views.guide_list, name="guide_list"),
    path("guides/<slug:slug>/", guide_views.guide_start, name="guide_start"),
    path("guides/<slug:slug>/<slug:step_key>/", guide_views.guide_step, name="guide_step"),
    path("support/new/", guide_views.support_request_create, name="support_request_create"),
    path(
        "support/sent/<str:token>/",
        guide_views.support_request_sent,
        name="support_request_sent",
    ),
    path(
        "support/attachments/<int:pk>/",
        guide_views.support_attachment,
        name="support_attachment",
    ),
]
