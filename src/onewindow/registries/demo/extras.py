"""Demo rows of the other sources, drawn for each batch of generated entities: housing
records (10 %), credit ratings (10 %), identities (5 %), list entries (a few per thousand)
and a hosted-address directory signed by its hosts' Ed25519 keys."""

from __future__ import annotations

import random
from collections.abc import MutableMapping
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.db import transaction
from django.utils import timezone

from onewindow.ledger.services import append_entry
from onewindow.registries.constants import (
    CreditGrade,
    EntityStatus,
    EntityType,
    IdentifierKind,
    ListKind,
    LoadStatus,
    PropertyUse,
)
from onewindow.registries.models import (
    AddressHost,
    CreditRating,
    HostedAddress,
    ListEntry,
    LoadJob,
    PropertyRecord,
    VerifiedIdentity,
)
from onewindow.registries.policies import hosted_address_message, normalise_address

Counts = MutableMapping[str, int]
USES = (PropertyUse.COMMERCIAL, PropertyUse.OFFICE, PropertyUse.INDUSTRIAL, PropertyUse.RESIDENTIAL)
GRADES = (CreditGrade.A, CreditGrade.B, CreditGrade.C, CreditGrade.D)


def add_for_batch(rng: random.Random, entities: list[Any], counts: Counts) -> None:
    """`entities` are unsaved copies of the rows just inserted (their USCC is their key)."""
    today = timezone.localdate()
    housing, ratings, people, listed = [], [], [], []
    for entity in entities:
        roll = rng.random()
        if roll < 0.10 and entity.status == EntityStatus.ACTIVE:
            housing.append(
                PropertyRecord(
                    certificate_number=f"鄂({entity.established_on.year})不动产权第{entity.uscc[8:17]}号",
                    address=entity.registered_address,
                    address_key=normalise_address(entity.registered_address),
                    owner_name=entity.legal_representative,
                    owner_identifier=entity.legal_representative_id,
                    use=rng.choices(USES, (50, 30, 10, 10))[0],
                    area_m2=rng.randrange(20, 2000),
                )
            )
        if 0.10 <= roll < 0.20:
            ratings.append(
                CreditRating(
                    identifier_kind=IdentifierKind.USCC,
                    identifier=entity.uscc,
                    grade=rng.choices(GRADES, (70, 20, 7, 3))[0],
                    rated_on=today - timedelta(days=rng.randrange(700)),
                    authority="湖北省信用办",
                )
            )
        if 0.20 <= roll < 0.25:
            people.append(
                VerifiedIdentity(
                    resident_id=entity.legal_representative_id,
                    name=entity.legal_representative,
                    photo_hash=f"{rng.getrandbits(64):016x}",
                    verified_on=today,
                )
            )
        listed += _list_entries(rng, entity, today)
    PropertyRecord.objects.bulk_create(housing, ignore_conflicts=True)
    CreditRating.objects.bulk_create(ratings, ignore_conflicts=True)
    VerifiedIdentity.objects.bulk_create(people, ignore_conflicts=True)
    ListEntry.objects.bulk_create(listed, ignore_conflicts=True)
    for key, rows in (("housing", housing), ("credit", ratings), ("identity", people)):
        counts[key] += len(rows)
    counts["restrictions"] += len(listed)


def _list_entries(rng: random.Random, entity: Any, today: Any) -> list[ListEntry]:
    out = []
    roll = rng.random()
    person = {
        "identifier_kind": IdentifierKind.RESIDENT_ID,
        "identifier": entity.legal_representative_id,
        "name": entity.legal_representative,
    }
    year = today.year - rng.randrange(6)
    document = f"({year})鄂{entity.registration_authority[2:4]}执{entity.uscc[10:16]}号"
    listed_on = today - timedelta(days=rng.randrange(1, 1500))
    if roll < 0.003:
        out.append(
            ListEntry(
                kind=ListKind.DISHONEST_DEBTOR,
                reason="有履行能力而拒不履行生效法律文书确定义务",
                authority="人民法院",
                document_number=document,
                listed_on=listed_on,
                removed_on=today if rng.random() < 0.2 else None,
                **person,
            )
        )
    elif roll < 0.0035:
        out.append(
            ListEntry(
                kind=ListKind.RESTRICTED_REGISTRATION,
                reason="人民法院限制担任法定代表人",
                authority="人民法院",
                document_number=document,
                listed_on=listed_on,
                expires_on=listed_on + timedelta(days=1095),
                **person,
            )
        )
    if entity.status == EntityStatus.REVOKED and rng.random() < 0.3:
        out.append(
            ListEntry(
                kind=ListKind.BLACKLIST,
                identifier_kind=IdentifierKind.USCC,
                identifier=entity.uscc,
                name=entity.name,
                reason="被吊销营业执照",
                authority="市场监督管理局",
                document_number=f"吊销{entity.uscc}",
                listed_on=entity.status_changed_on or listed_on,
            )
        )
    return out


class HostedDirectory:
    """A few hosting companies in Wuhan, each offering signed addresses."""

    ADDRESSES_PER_HOST = 40

    def __init__(self, rng: random.Random, entities: int) -> None:
        self.rng = rng
        self.to_create = max(2, entities // 200_000)

    def add_for_batch(self, entities: list[Any], counts: Counts) -> None:
        if not self.to_create:
            return
        host_entities = [e for e in entities if e.entity_type == EntityType.ENTERPRISE]
        for entity in host_entities[: self.to_create]:
            self._host(entity, counts)
        self.to_create = max(0, self.to_create - len(host_entities))

    def _host(self, entity: Any, counts: Counts) -> None:
        key = Ed25519PrivateKey.generate()  # demo hosts' private keys are not kept
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        host = AddressHost.objects.create(uscc=entity.uscc, name=entity.name, public_key=public)
        valid_until = timezone.localdate() + timedelta(days=365)
        rows = []
        for n in range(self.ADDRESSES_PER_HOST):
            building = f"{int(entity.uscc[-4:-1], 36) % 97 + 1}号{n // 10 + 1}栋{n + 1:03d}室"
            address = f"湖北省武汉市洪山区关东街道光谷创业街{building}"
            address_key = normalise_address(address)
            message = hosted_address_message(
                host_uscc=host.uscc, address_key=address_key, valid_until=valid_until
            )
            rows.append(
                HostedAddress(
                    host=host,
                    address=address,
                    address_key=address_key,
                    capacity=5,
                    occupied=self.rng.randrange(5),
                    valid_until=valid_until,
                    signature=key.sign(message),
                    confirmed_at=timezone.now(),
                )
            )
        HostedAddress.objects.bulk_create(rows, ignore_conflicts=True)
        counts["address_hosts"] += 1
        counts["hosted_addresses"] += len(rows)


def finish(job: LoadJob, report: Any) -> None:
    job.status, job.finished_at = LoadStatus.FINISHED, timezone.now()
    job.processed_rows = job.loaded_rows = report.entities
    with transaction.atomic():
        job.save()
        append_entry(
            actor=job.actor,
            event="registry_demo_generated",
            subject=f"load:{job.pk}",
            reason=job.reason,
            payload={"entities": report.entities, "extras": dict(report.extras)},
        )
