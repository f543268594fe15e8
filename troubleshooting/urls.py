from __future__ import annotations

from django.urls import path

from troubleshooting import views

app_name = "troubleshooting"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("articles/<slug:slug>/feedback/", views.article_feedback, name="article_feedback"),
]
