from __future__ import annotations

app_name = "troubleshooting"

urlpatterns: list = []
