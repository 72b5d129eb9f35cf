"""Pure rules of the registries checks (no ORM, no I/O): addresses, hosted-address
signatures, which list entries are in force, credit grades, business-scope text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from onewindow.registries.constants import CreditGrade, PropertyUse

_ADDRESS_NOISE = re.compile(r"[\s,，。.、:：;；\-—_·()（）]")
_ADDRESS_PREFIXES = ("中华人民共和国", "中国", "湖北省", "湖北")
_SCOPE_SEPARATORS = re.compile(r"[;；\n]+")
BUSINESS_USES = frozenset(
    {PropertyUse.COMMERCIAL, PropertyUse.OFFICE, PropertyUse.INDUSTRIAL, PropertyUse.WAREHOUSE}
)


def normalise_address(text: str) -> str:
    """The key an address is matched on: NFKC, no spaces or punctuation, no country or
    province prefix (湖北省武汉市… and 武汉市… are the same address)."""
    key = _ADDRESS_NOISE.sub("", unicodedata.normalize("NFKC", text or ""))
    for prefix in _ADDRESS_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key


def hosted_address_message(*, host_uscc: str, address_key: str, valid_until: date) -> bytes:
    """What a host signs to confirm an address it offers for cluster registration."""
    return (
        f"onewindow hosted-address v1\n{host_uscc}\n{address_key}\n{valid_until.isoformat()}\n"
    ).encode()


def in_force(
    *, listed_on: date, expires_on: date | None, removed_on: date | None, today: date
) -> bool:
    if listed_on > today:
        return False
    if removed_on is not None and removed_on <= today:
        return False
    return expires_on is None or expires_on >= today


def credit_severity(grade: str) -> str | None:
    """D blocks unattended registration, C sends it to a person; A and B pass."""
    return {CreditGrade.D: "error", CreditGrade.C: "warning"}.get(CreditGrade(grade))


def split_scope(text: str | Iterable[str]) -> list[str]:
    """Scope entries from text separated by ；/; or lines (、 stays inside one entry), as
    normalised wording; duplicates dropped, order kept."""
    parts = _SCOPE_SEPARATORS.split(text) if isinstance(text, str) else list(text)
    entries = []
    for part in parts:
        wording = unicodedata.normalize("NFKC", part).strip().strip("。.")
        wording = wording.replace("(", "（").replace(")", "）").replace(" ", "")
        for prefix in ("一般项目:", "许可项目:"):  # NFKC made the colon ASCII
            wording = wording.removeprefix(prefix)
        if wording and wording not in entries:
            entries.append(wording)
    return entries


def revoked_within(*, status_changed_on: date | None, today: date, years: int = 3) -> bool:
    """公司法 (2023) art. 178: a representative of a company whose licence was revoked may
    not represent a new one for three years from the revocation (if personally liable)."""
    if status_changed_on is None:
        return False
    try:
        limit = status_changed_on.replace(year=status_changed_on.year + years)
    except ValueError:  # 29 February
        limit = status_changed_on.replace(year=status_changed_on.year + years, day=28)
    return today < limit
