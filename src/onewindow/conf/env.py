"""Every setting read from the environment, in one place, with help text.

`docs/reference/settings.md` is generated from `VARIABLES` (``onewindow settings-doc``).
Defaults give the embedded setup: SQLite in WAL mode, files on local disk, jobs in-process.
The production profile (``ONEWINDOW_PROFILE=production``) refuses insecure defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str
    secret: bool = False


HOME = Path(os.environ.get("ONEWINDOW_HOME", Path.cwd() / "var")).resolve()

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "ONEWINDOW_PROFILE",
        "embedded",
        "`embedded` (one machine, SQLite, local files, in-process jobs), `test`, or "
        "`production` (refuses to start with insecure defaults).",
    ),
    Variable(
        "ONEWINDOW_HOME",
        str(HOME),
        "Folder for the embedded database, uploaded materials and keys (outside the web root).",
    ),
    Variable(
        "DATABASE_URL",
        "",
        "Database URL, e.g. `postgres://user@127.0.0.1:5432/onewindow`. Empty: SQLite in "
        "WAL mode at `$ONEWINDOW_HOME/onewindow.sqlite3`.",
    ),
    Variable("SECRET_KEY", "", "Django secret key. Required in production.", secret=True),
    Variable("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", "Comma-separated host names served."),
    Variable(
        "STORAGE_PATH",
        "",
        "Where uploaded materials are stored. Empty: `$ONEWINDOW_HOME/materials`.",
    ),
    Variable(
        "MAX_UPLOAD_BYTES", str(10 * 1024 * 1024), "Largest material file accepted, in bytes."
    ),
    Variable(
        "JOB_BACKEND",
        "immediate",
        "`immediate` (jobs run in-process), `sqlite` (huey worker on the same store) or "
        "`redis` (huey on Redis, production).",
    ),
    Variable("REDIS_URL", "redis://127.0.0.1:6379/0", "Redis URL when JOB_BACKEND=redis."),
    Variable(
        "PUBLIC_BASE_URL", "http://127.0.0.1:8000", "Address printed on licences and e-mails."
    ),
    Variable(
        "LOGIN_RATE_LIMIT",
        "10/300",
        "Failed logins allowed per user name and per client address: `count/seconds`.",
    ),
    Variable("DEBUG", "", "`1` turns on Django debug pages (never in production)."),
    Variable(
        "ONEWINDOW_PACKS",
        "",
        "Folder of reform packs to load. Empty: `packs/` of the source checkout.",
    ),
    Variable(
        "SECURE_SSL_REDIRECT",
        "1",
        "Production only: redirect plain HTTP to HTTPS (`0` when a proxy already does it).",
    ),
    Variable(
        "ONEWINDOW_VERIFY_RATE_LIMIT",
        "60/60",
        "Public licence verifications allowed per client: `count/seconds`.",
    ),
    Variable(
        "ONEWINDOW_VERIFY_LOG_BATCH",
        "100",
        "Verification log rows written together (at most one second apart).",
    ),
    Variable(
        "ONEWINDOW_REGISTRY_CONNECTORS",
        "",
        "Per registry source, `local` (tables loaded by an administrator) or `http` with its "
        "base URL and credentials — see docs/reference/registries.md. Empty: all local.",
    ),
    Variable(
        "ONEWINDOW_OUTBOX_RETRY_WINDOW_HOURS",
        "26",
        "How long a department delivery is retried before it is marked failed.",
    ),
    Variable(
        "ONEWINDOW_OUTBOX_FIRST_RETRY_SECONDS",
        "5",
        "First retry delay of a failed delivery; doubles up to the maximum.",
    ),
    Variable(
        "ONEWINDOW_OUTBOX_MAX_RETRY_SECONDS",
        "7200",
        "Longest delay between two delivery attempts.",
    ),
    Variable(
        "ONEWINDOW_OUTBOX_LEASE_MARGIN_SECONDS",
        "30",
        "Time a worker holds a delivery before another may take it over (crashed worker).",
    ),
    Variable(
        "ONEWINDOW_LEDGER_ORIGIN",
        "onewindow.local/ledger",
        "Name of the transparency log in signed checkpoints; also the platform key's name.",
    ),
    Variable(
        "ONEWINDOW_KEY_DIR",
        "",
        "Folder of private signing keys (never in the database or the repository). "
        "Empty: `$ONEWINDOW_HOME/keys`.",
    ),
)

_BY_NAME = {v.name: v for v in VARIABLES}


def get(name: str) -> str:
    return os.environ.get(name, _BY_NAME[name].default)


def get_bool(name: str) -> bool:
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


INSECURE_SECRET = "embedded-insecure-secret-key-do-not-use-in-production"  # noqa: S105 - refused in production


def check_production(values: dict[str, str]) -> None:
    """Refuse to start production with insecure defaults."""
    problems = []
    secret = values.get("SECRET_KEY", "")
    if len(secret) < 50 or secret == INSECURE_SECRET:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not values.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL must point to PostgreSQL")
    if get_bool("DEBUG"):
        problems.append("DEBUG must be off")
    hosts = values.get("ALLOWED_HOSTS", "")
    if "*" in hosts.split(","):
        problems.append("ALLOWED_HOSTS must not contain '*'")
    if not values.get("PUBLIC_BASE_URL", "").startswith("https://"):
        problems.append("PUBLIC_BASE_URL must use https://")
    if problems:
        raise ImproperlyConfigured(
            "生产环境配置不安全 / production profile refuses to start: " + "; ".join(problems)
        )


def markdown_reference() -> str:
    lines = [
        "# Settings reference",
        "",
        "Generated from `src/onewindow/conf/env.py` by `onewindow settings_doc`. Do not edit.",
        "",
        "| variable | default | meaning |",
        "|---|---|---|",
    ]
    for v in VARIABLES:
        default = "(secret)" if v.secret else (f"`{v.default}`" if v.default else "(empty)")
        if v.name in {"ONEWINDOW_HOME"}:
            default = "`./var`"
        lines.append(f"| `{v.name}` | {default} | {v.help} |")
    return "\n".join(lines) + "\n"
