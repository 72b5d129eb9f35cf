"""Ledger configuration: log origin and the key directory.

`ONEWINDOW_LEDGER_ORIGIN` (default ``onewindow.local/ledger``) names the log in checkpoints
and is the platform key's name. `ONEWINDOW_KEY_DIR` (default ``$ONEWINDOW_HOME/keys``) holds
one file per private key; private keys are never stored in the database or the repository.
A Django setting of the same name without the prefix (``LEDGER_ORIGIN``, ``KEY_DIR``) wins.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

DEFAULT_ORIGIN = "onewindow.local/ledger"
CHECKPOINT_INTERVAL_SECONDS = 60


def origin() -> str:
    return str(
        getattr(settings, "LEDGER_ORIGIN", None)
        or os.environ.get("ONEWINDOW_LEDGER_ORIGIN")
        or DEFAULT_ORIGIN
    )


def key_dir() -> Path:
    configured = getattr(settings, "KEY_DIR", None) or os.environ.get("ONEWINDOW_KEY_DIR")
    return Path(configured) if configured else Path(settings.HOME) / "keys"
