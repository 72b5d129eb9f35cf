"""Generate market entities with realistic Hubei names, addresses and industries, plus the
other sources' demo rows (housing records, hosted addresses, lists, ratings, identities).

Names are drawn from a character model and kept only if they parse back into the same
region, trade name and industry, carry no prohibited or restricted word, and repeat neither
a full name nor a trade name of the same region and industry. Codes are issued from the
same per-authority serials as `services.issue_uscc`, so later codes never collide.
Rows go in as plain tuples (`bulk.insert_rows`), one transaction per batch.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.registries import uscc
from onewindow.registries.constants import (
    EntityOrigin,
    EntityStatus,
    EntityType,
    LoadStatus,
    NameStatus,
)
from onewindow.registries.demo import extras
from onewindow.registries.demo.bulk import insert_rows
from onewindow.registries.demo.vocabulary import (
    COOPERATIVE_WORDINGS,
    ENTERPRISE_FORMS,
    INDIVIDUAL_FORMS,
    INDIVIDUAL_WORDINGS,
    County,
    DemoVocabulary,
)
from onewindow.registries.models import EnterpriseName, LoadJob, MarketEntity
from onewindow.registries.names.keys import pinyin_key
from onewindow.registries.names.parse import ParsedName, parse_name
from onewindow.registries.names.rules import word_issues
from onewindow.registries.names.vocabulary import get_vocabulary
from onewindow.registries.services import allocate_serials

Progress = Callable[[int, int], None]
FIRST_DAY = date(2000, 1, 1)
ENTITY_FIELDS = (
    "uscc",
    "name",
    "entity_type",
    "legal_form",
    "registered_address",
    "division_code",
    "legal_representative",
    "legal_representative_id",
    "status",
    "industry_code",
    "registration_authority",
    "established_on",
    "status_changed_on",
    "origin",
)
NAME_FIELDS = (
    "name",
    "region_word",
    "region_code",
    "trade_name",
    "trade_pinyin",
    "industry_wording",
    "industry_key",
    "organisational_form",
    "status",
    "entity",
    "released_at",
    "created_at",
)


@dataclass
class Report:
    entities: int = 0
    names_rejected: int = 0
    extras: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0


@dataclass
class Draft:
    entity: dict[str, Any]
    parsed: ParsedName


def _pick(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = DemoVocabulary(self.rng)
        self.words = get_vocabulary()
        self.taken: set[int] = set()  # hashes of full names and of region|industry|trade
        for name, region, industry, trade in EnterpriseName.objects.values_list(
            "name", "region_code", "industry_key", "trade_name"
        ).iterator(chunk_size=50_000):
            self.taken.update((hash(name), hash(f"{region}|{industry}|{trade}")))
        self.report = Report()

    def _pattern(self, entity_type: str, county: County) -> tuple[str, Any, str]:
        """Region word, industry wording and organisational form for an entity type."""
        rng = self.rng
        chain = f"{county.prefecture_name}{county.name}"
        if entity_type == EntityType.INDIVIDUAL_BUSINESS:
            wording = self.words.industries[rng.choice(INDIVIDUAL_WORDINGS)]
            return chain, wording, _pick(rng, INDIVIDUAL_FORMS)
        if entity_type == EntityType.COOPERATIVE:
            wording = self.words.industries[rng.choice(COOPERATIVE_WORDINGS)]
            return county.name, wording, "农民专业合作社"
        short = county.prefecture_name.removesuffix("市")
        if len(short) < 2 or not county.prefecture_name:
            short = county.name
        roll = rng.random()
        if roll < 0.75:
            region = short
        elif roll < 0.8:
            region = county.prefecture_name or county.name
        elif roll < 0.85:
            region = "湖北"
        else:
            region = chain
        return region, self.vocab.wording(), _pick(rng, ENTERPRISE_FORMS)

    def _name(self, entity_type: str, county: County) -> tuple[ParsedName, str] | None:
        """The parsed name and its industry class, or None when the draw is not acceptable."""
        region, wording, form = self._pattern(entity_type, county)
        trade = self.vocab.trade_name()
        name = f"{region}{trade}{wording.wording}{form}"
        parsed = parse_name(name, self.words)
        if (
            parsed.trade_name != trade
            or parsed.industry_wording != wording.wording
            or trade in self.words.regions
            or word_issues(name, self.words)
        ):
            return None
        keys = (hash(name), hash(f"{parsed.region_key}|{parsed.industry_key}|{trade}"))
        if keys[0] in self.taken or keys[1] in self.taken:
            return None
        self.taken.update(keys)
        return parsed, wording.class_code

    def _status(self, established: date) -> tuple[str, date | None]:
        roll = self.rng.random()
        if roll < 0.94:
            return EntityStatus.ACTIVE, None
        changed = established + timedelta(days=self.rng.randrange(30, 3000))
        changed = min(changed, timezone.localdate() - timedelta(days=1))
        return (EntityStatus.DEREGISTERED if roll < 0.99 else EntityStatus.REVOKED), changed

    def draft(self) -> Draft:
        roll = self.rng.random()
        entity_type = EntityType.ENTERPRISE
        if roll >= 0.88:
            entity_type = EntityType.INDIVIDUAL_BUSINESS if roll < 0.98 else EntityType.COOPERATIVE
        while True:
            county = self.vocab.county()
            drawn = self._name(entity_type, county)
            if drawn:
                break
            self.report.names_rejected += 1
        representative, representative_id = self.vocab.person(county.code)
        established = FIRST_DAY + timedelta(days=self.rng.randrange(9650))
        status, changed = self._status(established)
        entity = {
            "name": drawn[0].name,
            "entity_type": entity_type,
            "legal_form": "",
            "registered_address": self.vocab.address(county),
            "division_code": county.code,
            "legal_representative": representative,
            "legal_representative_id": representative_id,
            "status": status,
            "industry_code": drawn[1],
            "registration_authority": county.code,
            "established_on": established,
            "status_changed_on": changed,
            "origin": EntityOrigin.LOADED,
        }
        return Draft(entity, drawn[0])

    def batch(self, size: int) -> list[Draft]:
        drafts = [self.draft() for _ in range(size)]
        by_authority: dict[str, list[Draft]] = defaultdict(list)
        for draft in drafts:
            by_authority[draft.entity["registration_authority"]].append(draft)
        for division, members in by_authority.items():
            block, first = allocate_serials(division, len(members))
            for offset, draft in enumerate(members):
                draft.entity["uscc"] = uscc.compose(
                    entity_type=draft.entity["entity_type"],
                    division=division,
                    block=block,
                    serial=first + offset,
                )
        return drafts


def _name_tuple(draft: Draft, now: datetime) -> tuple[Any, ...]:
    entity, parsed = draft.entity, draft.parsed
    status, released = NameStatus.REGISTERED, None
    if entity["status"] != EntityStatus.ACTIVE:
        status = NameStatus.RELEASED
        released = datetime.combine(
            entity["status_changed_on"], datetime.min.time(), tzinfo=now.tzinfo
        )
    return (
        parsed.name,
        parsed.region_word,
        parsed.region_key,
        parsed.trade_name,
        pinyin_key(parsed.trade_name),
        parsed.industry_wording,
        parsed.industry_key,
        parsed.organisational_form,
        status,
        entity["uscc"],
        released,
        now,
    )


def _write(drafts: list[Draft]) -> None:
    now = timezone.now()
    insert_rows(
        MarketEntity, ENTITY_FIELDS, [tuple(d.entity[f] for f in ENTITY_FIELDS) for d in drafts]
    )
    insert_rows(EnterpriseName, NAME_FIELDS, [_name_tuple(d, now) for d in drafts])


def generate_demo(
    *,
    entities: int,
    actor: str,
    reason: str,
    seed: int = 20260101,
    batch: int = 5000,
    progress: Progress | None = None,
) -> Report:
    started = time.perf_counter()
    generator = Generator(seed)
    job = LoadJob.objects.create(
        source="market_entities",
        filename=f"generate_demo --entities {entities} --seed {seed}",
        status=LoadStatus.RUNNING,
        total_rows=entities,
        actor=actor,
        reason=reason,
        created_at=timezone.now(),
    )
    hosts = extras.HostedDirectory(generator.rng, entities)
    done = 0
    while done < entities:
        size = min(batch, entities - done)
        with transaction.atomic():
            drafts = generator.batch(size)
            _write(drafts)
            unsaved = [SimpleNamespace(**d.entity) for d in drafts]
            extras.add_for_batch(generator.rng, unsaved, generator.report.extras)
            hosts.add_for_batch(unsaved, generator.report.extras)
        done += size
        LoadJob.objects.filter(pk=job.pk).update(processed_rows=done, loaded_rows=done)
        if progress:
            progress(done, entities)
    generator.report.entities = done
    generator.report.seconds = time.perf_counter() - started
    extras.finish(job, generator.report)
    return generator.report
