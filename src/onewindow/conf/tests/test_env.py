import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from onewindow.conf import env

GOOD = {
    "SECRET_KEY": "k" * 64,
    "DATABASE_URL": "postgres://app@db:5432/onewindow",
    "ALLOWED_HOSTS": "onewindow.example.cn",
    "PUBLIC_BASE_URL": "https://onewindow.example.cn",
}


def test_production_accepts_secure_settings():
    env.check_production(GOOD)


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("SECRET_KEY", "", "SECRET_KEY"),
        ("SECRET_KEY", env.INSECURE_SECRET, "SECRET_KEY"),
        ("DATABASE_URL", "", "PostgreSQL"),
        ("ALLOWED_HOSTS", "*", "ALLOWED_HOSTS"),
        ("PUBLIC_BASE_URL", "http://x", "https"),
    ],
)
def test_production_refuses_insecure_defaults(key, value, problem):
    with pytest.raises(ImproperlyConfigured) as err:
        env.check_production({**GOOD, key: value})
    assert problem in str(err.value)
    assert "生产环境配置不安全" in str(err.value)


def test_production_process_refuses_to_start_without_secrets(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "onewindow.conf.settings",
            "PATH": "/usr/bin:/bin",
            "ONEWINDOW_PROFILE": "production",
            "ONEWINDOW_HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "production profile refuses to start" in result.stderr


def test_every_variable_is_documented():
    text = env.markdown_reference()
    for variable in env.VARIABLES:
        assert f"`{variable.name}`" in text
        assert variable.help


def test_settings_reference_page_is_generated_from_the_registry():
    from pathlib import Path

    page = Path(__file__).resolve().parents[4] / "docs" / "reference" / "settings.md"
    assert page.read_text(encoding="utf-8") == env.markdown_reference(), (
        "docs/reference/settings.md is stale: run `onewindow settings_doc`"
    )


def test_embedded_database_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "DJANGO_SETTINGS_MODULE": "onewindow.conf.settings",
            "PATH": "/usr/bin:/bin",
            "ONEWINDOW_HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE"]
    assert (tmp_path / "onewindow.sqlite3").exists()
