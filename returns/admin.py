from __future__ import annotations

from django.contrib import admin

from returns.models import Return

# Kept minimal on purpose: the support admin (issue 6) builds the real one on this.
admin.site.register(Return, list_display=["rma_number", "status", "reason", "serial_number"])
