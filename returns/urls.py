from __future__ import annotations

app_name = "returns"

urlpatterns: list = []
