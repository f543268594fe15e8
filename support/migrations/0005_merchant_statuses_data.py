"""The old statuses as the merchant's four, and the queue's order from the received date.

Apart from the schema change before it: on PostgreSQL, rows updated in a migration leave
deferred constraint checks pending, and an index built in the same transaction is refused
("pending trigger events") when the migration is undone.
"""

from django.db import migrations
from django.db.models import F

# Old status -> the one a merchant understands. An open request someone took is in progress.
FORWARD = {"answered": "waiting", "closed": "solved"}
BACKWARD = {"received": "open", "in_progress": "open", "waiting": "answered", "solved": "closed"}


def statuses_forward(apps, schema_editor):
    requests = apps.get_model("support", "SupportRequest").objects
    requests.filter(status="open", assignee__isnull=False).update(status="in_progress")
    requests.filter(status="open").update(status="received")
    for old, new in FORWARD.items():
        requests.filter(status=old).update(status=new)
    requests.update(queued_at=F("created_at"))


def statuses_backward(apps, schema_editor):
    requests = apps.get_model("support", "SupportRequest").objects
    for new, old in BACKWARD.items():
        requests.filter(status=new).update(status=old)


class Migration(migrations.Migration):
    dependencies = [("support", "0004_merchant_statuses_and_queue")]

    operations = [migrations.RunPython(statuses_forward, statuses_backward)]
