"""Load the shipped 2019-2026 holiday schedules (holiday-cn, MIT) so that a new installation
computes deadlines at once. Later years are data: the admin or `manage.py load_holidays`."""

import json
from pathlib import Path

from django.db import migrations

import onewindow.core

SHIPPED = Path(onewindow.core.__file__).resolve().parent / "calendar" / "data" / "holidays.json"


def load(apps, schema_editor):
    HolidaySchedule = apps.get_model("core", "HolidaySchedule")
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for schedule in document["schedules"]:
        HolidaySchedule.objects.update_or_create(
            year=schedule["year"],
            defaults={
                "off_days": schedule["off_days"],
                "adjusted_working_days": schedule["adjusted_working_days"],
                "notice_url": schedule["notice_url"],
                "other_notice_urls": schedule["other_notice_urls"],
                "updated_by": "migration",
                "change_reason": "shipped holiday-cn data 2019-2026",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
