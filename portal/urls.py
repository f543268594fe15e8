from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from guides.sitemaps import GuideSitemap
from portal import views
from portal.sitemaps import PageSitemap
from troubleshooting.sitemaps import ArticleSitemap

SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "guides": GuideSitemap}

admin.site.site_header = _("POS Help Portal: support")
admin.site.site_title = _("POS Help Portal admin")
admin.site.index_title = _("Support and content")

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    # Guides and support requests had their admin pages under the knowledge base's; links in
    # e-mails sent before they moved keep working.
    re_path(
        r"^admin/troubleshooting/(?P<model>guide|guidestep|guidechoice|guiderun|"
        r"supportrequest|supportattachment)/(?P<rest>.*)$",
        views.moved_admin_page,
    ),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", views.home, name="home"),
        path("", include("troubleshooting.urls")),
        path("guides/", include("guides.urls")),
        path("support/", include("support.urls")),
        path("returns/", include("returns.urls")),
        path("conversations/", include("conversations.urls")),
        path("photo/", include("photosearch.urls")),
        path("suggestions/", include("suggestions.urls")),
        prefix_default_language=False,
    ),
]

if settings.PORTAL_BENCH:
    urlpatterns.append(path("bench/floor", views.bench_floor, name="bench_floor"))
