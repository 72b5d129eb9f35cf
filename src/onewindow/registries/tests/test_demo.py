"""Demo data: valid codes, names that parse back and do not repeat, the other sources."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from onewindow.core.identifiers import validate_resident_id, validate_uscc
from onewindow.ledger.models import LedgerEntry
from onewindow.registries.checks import check_name
from onewindow.registries.demo.generate import generate_demo
from onewindow.registries.models import (
    EnterpriseName,
    HostedAddress,
    MarketEntity,
    PropertyRecord,
    UsccSequence,
)
from onewindow.registries.names.parse import parse_name
from onewindow.registries.policies import hosted_address_message

pytestmark = pytest.mark.django_db


def test_generated_entities_are_realistic_and_consistent(context):
    progress: list[int] = []
    report = generate_demo(
        entities=600,
        seed=7,
        batch=250,
        actor="test",
        reason="demo",
        progress=lambda done, total: progress.append(done),
    )
    assert progress == [250, 500, 600] and report.entities == 600
    entities = list(MarketEntity.objects.all())
    assert len(entities) == 600
    assert all(validate_uscc(e.uscc) == e.uscc for e in entities)
    assert all(validate_resident_id(e.legal_representative_id) for e in entities)
    assert {e.uscc[8:10] for e in entities} <= {u.block for u in UsccSequence.objects.all()}
    names = list(EnterpriseName.objects.values_list("name", "trade_name", "entity_id"))
    assert len({n for n, _, _ in names}) == 600
    assert all(parse_name(n).trade_name == t for n, t, _ in names)
    wuhan = sum(e.registration_authority.startswith("4201") for e in entities)
    assert 0.3 < wuhan / 600 < 0.5
    assert {e.entity_type for e in entities} == {"1", "2", "3"}
    assert PropertyRecord.objects.exists()
    hosted = HostedAddress.objects.select_related("host").first()
    key = Ed25519PublicKey.from_public_bytes(bytes(hosted.host.public_key))
    key.verify(
        bytes(hosted.signature),
        hosted_address_message(
            host_uscc=hosted.host.uscc,
            address_key=hosted.address_key,
            valid_until=hosted.valid_until,
        ),
    )
    some = next(e for e in entities if e.status == "active")
    assert check_name(name=some.name, context=context).codes[0] == "name.identical"
    assert LedgerEntry.objects.filter(event="registry_demo_generated").count() == 1


def test_generation_is_repeatable_with_a_seed_and_continues_serials():
    generate_demo(entities=50, seed=3, actor="test", reason="demo")
    first = set(EnterpriseName.objects.values_list("name", flat=True))
    generate_demo(entities=50, seed=3, actor="test", reason="demo")  # same draws, no repeats
    assert len(set(EnterpriseName.objects.values_list("name", flat=True))) == 100
    assert len(first) == 50
    assert MarketEntity.objects.count() == 100
