"""Registries fixtures: a query context, the shipped scope catalogue, a fresh names index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from onewindow.registries import connectors
from onewindow.registries.exchange import QueryContext
from onewindow.registries.loaders import load_file
from onewindow.registries.names import lookup
from onewindow.registries.names.vocabulary import DATA_DIR

CONTEXT = QueryContext(
    requester="system:r03",
    purpose="企业开办无人审批核验 unattended registration check",
    legal_basis="《市场主体登记管理条例》第十七条",
    requester_department="samr",
    reference="XY20261203000001",
)


@pytest.fixture(autouse=True)
def _fresh_index_and_connectors() -> Iterator[None]:
    """Each test builds the names index from its own rows and uses local connectors."""
    lookup.drop_index()
    connectors.reset()
    yield
    lookup.drop_index()
    connectors.reset()


@pytest.fixture
def context() -> QueryContext:
    return CONTEXT


@pytest.fixture
def catalogue(db: None) -> None:
    job = load_file(
        kind="business_scope",
        path=Path(DATA_DIR / "scope_catalogue.csv"),
        actor="test",
        reason="shipped catalogue",
    )
    assert job.error_count == 0
