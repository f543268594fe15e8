"""The report's permission, and the search counts moved out of the shared cache."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """No table: only the permission "may read the reports" (staff/roles.py grants it)."""

    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class SearchTally(models.Model):
    """How often a query was searched on one day, copied from the counters in the cache."""

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=8)
    query = models.CharField(_("search"), max_length=200)
    count = models.PositiveIntegerField(_("times searched"), default=0)

    class Meta:
        verbose_name = _("search count")
        verbose_name_plural = _("search counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "query"], name="search_tally_unique_day_query"
            )
        ]
        indexes = [models.Index(fields=["day"], name="search_tally_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.language} {self.query}: {self.count}"
