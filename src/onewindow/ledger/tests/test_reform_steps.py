"""Reforms 6 and 8: each step of a multi-department case carries the departments'
co-signatures, and a later change to a recorded step or a co-signature is detected."""

from __future__ import annotations

import pytest
from django.db import transaction

from onewindow.core.errors import ValidationFailed
from onewindow.ledger import selectors, services
from onewindow.ledger.models import LedgerCosignature, LedgerEntry, Witness
from onewindow.ledger.verify import verify_log

from .conftest import tamper

pytestmark = pytest.mark.django_db
CASE = "case:YC20261203000042"
STEPS = [
    ("property_transfer_applied", ["HB-ZRZY", "HB-POWER"], {"transfer_power": True}),
    ("face_verified", ["HB-ZRZY"], {"result": "match"}),
    ("contract_signed", ["HB-ZRZY", "HB-POWER"], {"contract": "sha256:..."}),
    ("power_account_transferred", ["HB-POWER"], {"account": "0712-55"}),
]


def _run_case() -> list[LedgerEntry]:
    entries = []
    for event, departments, payload in STEPS:
        with transaction.atomic():
            entries.append(
                services.append_entry(
                    actor="user:5",
                    event=event,
                    subject=CASE,
                    reason="一窗受理 不动产+用电过户",
                    payload=payload,
                    cosigners=departments,
                )
            )
    return entries


def test_each_step_carries_the_cosignatures_of_its_departments(
    witnesses: dict[str, Witness],
) -> None:
    _run_case()
    trail = selectors.subject_trail(CASE)
    assert [
        (e.event, sorted(c.witness.department_code for c in e.cosignatures.all())) for e, _ in trail
    ] == [
        ("property_transfer_applied", ["HB-POWER", "HB-ZRZY"]),
        ("face_verified", ["HB-ZRZY"]),
        ("contract_signed", ["HB-POWER", "HB-ZRZY"]),
        ("power_account_transferred", ["HB-POWER"]),
    ]
    assert trail[0][1] == f"/api/v1/ledger/proof/inclusion?sequence={trail[0][0].sequence}"
    assert verify_log().ok


def test_a_tampered_step_is_detected_at_the_step_and_its_cosignatures(
    witnesses: dict[str, Witness],
) -> None:
    entries = _run_case()
    contract = entries[2]
    tamper(
        "UPDATE ledger_ledgerentry SET payload_digest = %s WHERE sequence = %s",
        ["0" * 64, contract.sequence],
    )
    problems = [str(p) for p in verify_log().problems]
    cosignatures = LedgerCosignature.objects.filter(entry=contract).order_by("pk")
    assert problems == [
        f"ledger_ledgerentry sequence={contract.sequence}: recorded fields no longer match "
        "the leaf hash (row changed after it was appended)",
        *[
            f"ledger_ledgercosignature id={c.pk} (entry {contract.sequence}, "
            f"{c.witness.department_code} {c.witness.name}): co-signature does not verify for "
            "this step's recorded data"
            for c in cosignatures
        ],
    ]
    assert len(problems) == 3


def test_a_forged_cosignature_is_detected(witnesses: dict[str, Witness]) -> None:
    entries = _run_case()
    forged = LedgerCosignature.objects.filter(entry=entries[1]).get()
    tamper(
        "UPDATE ledger_ledgercosignature SET signature = %s WHERE id = %s", [bytes(64), forged.pk]
    )
    assert [p.location for p in verify_log().problems] == [
        f"ledger_ledgercosignature id={forged.pk} (entry {entries[1].sequence}, HB-ZRZY "
        "zrzy.yichang.example/witness)"
    ]


def test_a_step_naming_an_unregistered_department_is_not_recorded(
    witnesses: dict[str, Witness],
) -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught, transaction.atomic():
        services.append_entry(
            actor="user:5",
            event="water_transferred",
            subject=CASE,
            reason="r",
            payload={},
            cosigners=["HB-WATER"],
        )
    assert caught.value.code == "ledger.unknown_cosigner"
    assert LedgerEntry.objects.count() == before
    assert LedgerCosignature.objects.count() == 0
