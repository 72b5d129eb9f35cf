"""Refuse UPDATE and DELETE on the ledger tables at the database (SQLite and PostgreSQL)."""

from django.db import migrations

from onewindow.ledger import triggers


def install(apps, schema_editor):
    for sql in triggers.statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    for sql in triggers.statements(schema_editor.connection.vendor, install=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
