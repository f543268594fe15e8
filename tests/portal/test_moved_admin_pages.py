from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "/admin/troubleshooting/supportrequest/7/change/",
            "/admin/support/supportrequest/7/change/",
        ),
        ("/admin/troubleshooting/guiderun/report/", "/admin/guides/guiderun/report/"),
        ("/admin/troubleshooting/guide/?language=nl", "/admin/guides/guide/?language=nl"),
    ],
)
def test_admin_links_from_before_guides_and_support_had_their_own_apps_still_lead_there(
    client, old: str, new: str
) -> None:
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_the_knowledge_base_admin_pages_are_not_redirected(admin_client) -> None:
    assert admin_client.get("/admin/troubleshooting/article/").status_code == 200
