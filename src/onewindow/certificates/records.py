"""The seam through which the public verification page shows penalties (行政处罚) and
dishonesty records (失信) of a licence holder.

The registries app registers a provider at start-up:
``register_public_records_provider(fn)`` where ``fn(uscc) -> Sequence[PublicRecord]``.
Without one, the page shows none (and says the source is not connected). A provider that
fails does not fail the verification: its error is logged and the page says the records are
unavailable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublicRecord:
    kind: str  # "penalty" (行政处罚) | "dishonesty" (失信/严重违法失信)
    title: str
    authority: str
    decided_on: date | None = None
    reference: str = ""  # 决定书文号 / list entry id
    summary: str = ""
    source: str = ""  # registry that supplied it

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["decided_on"] = self.decided_on.isoformat() if self.decided_on else None
        return data


Provider = Callable[[str], Sequence[PublicRecord]]


def _no_records(uscc: str) -> Sequence[PublicRecord]:
    return ()


_provider: Provider = _no_records


def register_public_records_provider(provider: Provider) -> None:
    global _provider
    _provider = provider


def reset_public_records_provider() -> None:
    register_public_records_provider(_no_records)


def is_connected() -> bool:
    return _provider is not _no_records


def public_records(uscc: str) -> tuple[list[PublicRecord], bool]:
    """(records, available): available is False when the provider failed."""
    try:
        return list(_provider(uscc)), True
    except Exception:  # a registry outage must not break verification
        logger.exception("public records provider failed")
        return [], False
