from __future__ import annotations

from troubleshooting.guide_models import *  # noqa: F403
