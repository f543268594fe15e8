from __future__ import annotations

from troubleshooting import guide_admin  # noqa: F401  (registers the guide and support admin)
