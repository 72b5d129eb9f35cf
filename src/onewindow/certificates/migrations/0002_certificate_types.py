"""Load the shipped certificate types (data/certificate_types.yaml) so that a new
installation can issue licences and the reform 2 permits at once."""

from pathlib import Path

import yaml
from django.db import migrations

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "certificate_types.yaml"


def load(apps, schema_editor):
    CertificateType = apps.get_model("certificates", "CertificateType")
    document = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for row in document["types"]:
        CertificateType.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
