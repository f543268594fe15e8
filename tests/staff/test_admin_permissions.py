"""Every admin page and every staff-only view, opened by every role: each gets what it may.

The URLs are read from the admin site itself, so an admin view added later is walked too; one
that is neither a standard model page nor listed under CUSTOM_VIEWS fails the suite until its
permission is stated here.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from conversations.models import CannedReply, Message, MessageAttachment
from outbox.services import outbox_message_queue
from outbox.tasks import deliver_outbox_message
from staff.roles import CONTENT_EDITOR, ROLES, SUPPORT_AGENT
from support.models import SupportAttachment, SupportRequest
from tests.guides.factories import GuideRunFactory, GuideStepFactory
from tests.returns.factories import ReturnFactory
from tests.staff.factories import AgentFactory, EditorFactory, StaffFactory
from tests.support.helpers import jpeg_bytes
from tests.troubleshooting.factories import ArticleFactory, TerminalMessageFactory
from troubleshooting.models import ZeroResultSearch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("support_settings")]

ROLE_NAMES = ["superuser", "support agent", "content editor", "staff in no group"]
MODEL_PAGES = {"changelist", "add", "change", "delete", "history"}
# Models whose admin never offers "add", whoever asks: they are made elsewhere.
NEVER_ADDED = {
    "returns.return",
    "support.supportrequest",
    "guides.guiderun",
    "outbox.outboxmessage",
    "troubleshooting.articlefeedback",
    "troubleshooting.zeroresultsearch",
    "django_tasks_database.dbtaskresult",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
# The task queue's results are the worker's record: nobody deletes them by hand.
NEVER_DELETED = {"django_tasks_database.dbtaskresult"}
# Views of the admin site itself: (method, expected status for every staff member).
SITE_VIEWS = {
    "index": ("get", 200),
    "login": ("get", 302),  # signed in already: on to the index
    "logout": ("get", 405),  # signing out takes a POST
    "password_change": ("get", 200),
    "password_change_done": ("get", 200),
    "autocomplete": ("get", 403),  # without a field to complete, nobody gets data
    "jsi18n": ("get", 200),
    "view_on_site": ("get", 302),
}
# Views the project adds: (method, the permission that opens them).
CUSTOM_VIEWS = {
    "guides_guiderun_report": ("get", "guides.view_guiderun"),
    "returns_return_transition": ("post", "returns.change_return"),
    # Writing to the merchant from a request's or a return's page.
    "returns_return_reply": ("post", "returns.change_return"),
    "support_supportrequest_reply": ("post", "support.change_supportrequest"),
    "auth_user_password_change": ("get", "auth.change_user"),
    "reports_report_changelist": ("get", "reports.view_report"),
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield pattern


def _role_may(role: str, label: str, action: str) -> bool:
    """What staff/roles.py promises each role, and nothing the admin adds on its own."""
    if role == "superuser":
        return True
    group = {"support agent": SUPPORT_AGENT, "content editor": CONTENT_EDITOR}.get(role)
    return group is not None and action in ROLES[group].get(label, ())


def _expected_model_page(role: str, label: str, page: str) -> int:
    if page == "add":
        allowed = label not in NEVER_ADDED and _role_may(role, label, "add")
    elif page == "delete":
        allowed = label not in NEVER_DELETED and _role_may(role, label, "delete")
    else:
        allowed = _role_may(role, label, "view") or _role_may(role, label, "change")
    return 200 if allowed else 403


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users():
    return {
        "superuser": get_user_model().objects.create_superuser("root", "root@example.com", "x"),
        "support agent": AgentFactory(),
        "content editor": EditorFactory(),
        "staff in no group": StaffFactory(),
    }


@pytest.fixture
def one_of_each(users):
    """One row of every model the admin shows, so each change page has something to open."""
    now = timezone.now()
    article = ArticleFactory()
    TerminalMessageFactory(article=article)
    article.feedback.create(language="en", voter="v" * 20, helpful=True)
    ZeroResultSearch.objects.create(language="en", query="printer on fire")
    GuideStepFactory()
    GuideRunFactory()
    request = SupportRequest.objects.create(
        account_id="1", serial_number="PB1", contact_name="A", email="a@example.com"
    )
    attachment = SupportAttachment(
        support_request=request, original_name="x.jpg", kind="image", content_type="image/jpeg"
    )
    attachment.file.save("x.jpg", ContentFile(jpeg_bytes()), save=False)
    attachment.size, attachment.is_reencoded = attachment.file.size, True
    attachment.save()
    rma = ReturnFactory()
    CannedReply.objects.create(title="Photo please", language="en", body="Send a photo.")
    said = Message.objects.create(rma=rma, from_merchant=True, body="Here it is")
    file = MessageAttachment(message=said, original_name="screen.jpg", kind="image", size=1)
    file.content_type, file.is_reencoded = "image/jpeg", True
    file.file.save("screen.jpg", ContentFile(jpeg_bytes()), save=False)
    file.save()
    message = outbox_message_queue(to="a@example.com", subject="s", body_text="b", reference="r")
    deliver_outbox_message.enqueue(str(message.pk))
    seen = {"username": "x", "ip_address": "192.0.2.1", "attempt_time": now}
    AccessAttempt.objects.create(**seen, failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    return article


def _object_url(pattern: URLPattern, model) -> str:
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model._meta.label} to open: add one to one_of_each"
    return reverse(f"admin:{pattern.name}", args=[obj.pk])


def _requests(one_of_each):
    """(url name, method, url, {role: expected status}) for every admin URL."""
    registered = {
        f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry
    }
    article_type = ContentType.objects.get_for_model(one_of_each)
    for pattern in _walk(admin.site.get_urls()):
        name = pattern.name
        if name is None or name == "app_list":
            continue  # redirects to a named page, or the app pages checked below
        if name in SITE_VIEWS:
            method, status = SITE_VIEWS[name]
            args = [article_type.pk, one_of_each.pk] if name == "view_on_site" else []
            url = reverse(f"admin:{name}", args=args)
            yield name, method, url, dict.fromkeys(ROLE_NAMES, status)
            continue
        prefix, _, page = name.rpartition("_")
        model = registered.get(prefix)
        if name in CUSTOM_VIEWS:
            method, permission = CUSTOM_VIEWS[name]
            app_label, codename = permission.split(".")
            action, _, model_name = codename.partition("_")
            label = f"{app_label}.{model_name}"
            model = registered[f"{app_label}_{model_name}"]
            takes_object = "<" in str(pattern.pattern)
            url = _object_url(pattern, model) if takes_object else reverse(f"admin:{name}")
            expected = {role: 403 for role in ROLE_NAMES if not _role_may(role, label, action)}
            yield name, method, url, expected
            continue
        assert model is not None and page in MODEL_PAGES, (
            f"admin:{name} is not a standard model page: state who may open it in CUSTOM_VIEWS"
        )
        label = model._meta.label_lower
        takes_object = page in {"change", "delete", "history"}
        url = _object_url(pattern, model) if takes_object else reverse(f"admin:{name}")
        expected = {role: _expected_model_page(role, label, page) for role in ROLE_NAMES}
        yield name, "get", url, expected


def test_every_admin_view_answers_each_role_as_the_roles_promise(client, users, one_of_each):
    wrong = []
    for name, method, url, expected in _requests(one_of_each):
        for role, user in users.items():
            client.force_login(user)
            status = getattr(client, method)(url).status_code
            want = expected.get(role)
            # A custom view only states whom it refuses; the others may get a form or redirect.
            if (want is None and status == 403) or (want is not None and status != want):
                wrong.append(
                    f"{role} {method.upper()} {url} ({name}): {status}, not {want or 'allowed'}"
                )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "app_label",
    ["troubleshooting", "guides", "support", "returns", "outbox", "conversations", "reports"],
)
def test_an_app_page_is_shown_only_to_those_with_something_in_it(client, users, app_label):
    for role, user in users.items():
        client.force_login(user)
        allowed = role == "superuser" or any(
            label.startswith(f"{app_label}.")
            for group, roles in ROLES.items()
            if group == {"support agent": SUPPORT_AGENT, "content editor": CONTENT_EDITOR}.get(role)
            for label in roles
        )
        status = client.get(reverse("admin:app_list", args=[app_label])).status_code
        assert status == (200 if allowed else 404), role


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("superuser", 200),
        ("support agent", 200),
        ("content editor", 403),
        ("staff in no group", 403),
    ],
)
def test_the_return_export_and_the_attachments_follow_the_same_roles(
    client, users, one_of_each, role, status
):
    client.force_login(users[role])
    rma = ReturnFactory()
    export = client.post(
        reverse("admin:returns_return_changelist"),
        {"action": "export_csv", "_selected_action": [rma.pk]},
    )
    attachment = SupportAttachment.objects.get()
    opened = client.get(reverse("support:support_attachment", args=[attachment.pk]))
    in_conversation = MessageAttachment.objects.get()
    sent_file = client.get(reverse("conversations:message_attachment", args=[in_conversation.pk]))

    assert export.status_code == status
    if status == 200:
        assert export["Content-Type"].startswith("text/csv")
    assert opened.status_code == status
    assert sent_file.status_code == status
