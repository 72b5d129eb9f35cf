"""App configuration: registers the ledger subjects `certificate` and `signing_key`."""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "onewindow.certificates"
    label = "certificates"
    verbose_name = "电子证照 Certificates"

    def ready(self) -> None:
        from onewindow.certificates import snapshots
        from onewindow.ledger.registry import register_subject

        register_subject(
            "certificate",
            snapshots.snapshot_by_number,
            snapshots.all_numbers,
            snapshots.location_of,
        )
        register_subject(
            "signing_key", snapshots.key_snapshot_by_kid, snapshots.all_kids, snapshots.key_location
        )
