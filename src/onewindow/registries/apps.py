"""Registries (跨部门数据共享): local copies of other departments' data behind one connector
seam per source, the name check, credit-code issuing and the data-exchange log.

Public: `checks` (check_name, check_business_scope, check_address, check_restrictions,
check_credit, verify_identity), `services` (issue_uscc, register_entity, reserve_name,
register_address_host, confirm_hosted_address), `selectors`, `loaders.load_file`,
`connectors.get_connector`/`use`; the `registries` command (load, load_industries,
generate_demo, index). Reference: docs/reference/registries.md.
"""

from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    name = "onewindow.registries"
    label = "registries"
    verbose_name = "数据共享 Registries"

    def ready(self) -> None:
        from onewindow.ledger.registry import register_subject
        from onewindow.registries import snapshots

        register_subject(
            "market_entity",
            snapshots.entity_by_uscc,
            snapshots.issued_usccs,
            snapshots.entity_location,
        )
        register_subject(
            "exchange",
            snapshots.exchange_by_id,
            snapshots.exchange_ids,
            snapshots.exchange_location,
        )
