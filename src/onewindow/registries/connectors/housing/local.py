"""Property records from the local table."""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.housing import HousingSource, PropertyRecordData
from onewindow.registries.models import PropertyRecord


@register
class LocalHousing(HousingSource):
    implementation = "local"

    def lookup(self, certificate_number: str) -> PropertyRecordData | None:
        row = PropertyRecord.objects.filter(certificate_number=certificate_number).first()
        if row is None:
            return None
        return PropertyRecordData(
            certificate_number=row.certificate_number,
            address=row.address,
            address_key=row.address_key,
            owner_name=row.owner_name,
            owner_identifier=row.owner_identifier,
            use=row.use,
            area_m2="" if row.area_m2 is None else str(row.area_m2),
        )
