"""Concurrent appends from several connections stay gap-free and give one consistent tree.

PostgreSQL only: there the head row lock (SELECT ... FOR UPDATE) is what serialises appends.
On SQLite, BEGIN IMMEDIATE takes the database write lock, and Django's in-memory test
database is not shared across threads the way a file is.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from onewindow.ledger import merkle, selectors, services
from onewindow.ledger.models import LedgerEntry
from onewindow.ledger.verify import verify_log

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.mark.django_db(transaction=True)
def test_parallel_appends_have_no_gaps_and_verify(without_ledger_triggers: None) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(25):
                with transaction.atomic():
                    services.append_entry(
                        actor=f"worker:{n}",
                        event="case_step_recorded",
                        subject=f"case:T{n}",
                        reason=f"step {i}",
                        payload={"n": n, "i": i},
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(LedgerEntry.objects.values_list("sequence", flat=True)) == list(range(100))
    leaves = [bytes(h) for h in LedgerEntry.objects.values_list("leaf_hash", flat=True)]
    assert selectors.root_at(100) == merkle.root_from_leaves(leaves)
    assert verify_log().ok
