"""Credit ratings from the local table."""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.credit import CreditRecord, CreditSource
from onewindow.registries.models import CreditRating


@register
class LocalCredit(CreditSource):
    implementation = "local"

    def rating_of(self, identifier: str) -> CreditRecord | None:
        row = CreditRating.objects.filter(identifier=identifier).first()
        if row is None:
            return None
        return CreditRecord(
            identifier=row.identifier,
            identifier_kind=row.identifier_kind,
            grade=row.grade,
            rated_on=row.rated_on.isoformat(),
            authority=row.authority,
        )
