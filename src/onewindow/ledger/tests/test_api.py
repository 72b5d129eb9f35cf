"""/api/v1/ledger/: checkpoint (JSON and note), entries (staff), proofs (public), errors."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from onewindow.ledger import merkle, selectors, services
from onewindow.ledger.models import Witness

from .conftest import append

pytestmark = pytest.mark.django_db
BASE = "/api/v1/ledger"


def _hashes(values: list[str]) -> list[bytes]:
    return [base64.b64decode(v) for v in values]


def test_checkpoint_as_json_and_as_signed_note(client: Any, witnesses: dict[str, Witness]) -> None:
    append(3)
    checkpoint = services.issue_checkpoint()
    services.cosign_checkpoint(witness_name="power.yichang.example/witness")
    data = client.get(f"{BASE}/checkpoint").json()
    assert (data["origin"], data["tree_size"]) == ("onewindow.local/ledger", 5)
    assert base64.b64decode(data["root_hash"]) == bytes(checkpoint.root_hash)
    assert [c["department_code"] for c in data["cosigned_by"]] == ["HB-POWER"]
    note = client.get(f"{BASE}/checkpoint", HTTP_ACCEPT="text/plain")
    assert note["Content-Type"] == "text/plain; charset=utf-8"
    assert note.content.decode() == data["note"] == selectors.checkpoint_note(checkpoint)
    assert client.get(f"{BASE}/checkpoint/note").content.decode() == data["note"]


def test_no_checkpoint_yet_is_a_coded_404(client: Any, db: None) -> None:
    response = client.get(f"{BASE}/checkpoint")
    assert response.status_code == 404
    assert response.json()["code"] == "ledger.no_checkpoint"


def test_inclusion_proof_defaults_to_the_signed_checkpoint_and_verifies(
    client: Any, key_dir: Path
) -> None:
    append(11)
    services.issue_checkpoint()
    append(2)
    data = client.get(f"{BASE}/proof/inclusion", {"sequence": 6}).json()
    assert data["tree_size"] == 11
    assert data["checkpoint"].startswith("onewindow.local/ledger\n11\n")
    merkle.verify_inclusion(
        6,
        11,
        base64.b64decode(data["leaf_hash"]),
        _hashes(data["proof"]),
        base64.b64decode(data["root_hash"]),
    )
    latest = client.get(f"{BASE}/proof/inclusion", {"sequence": 12, "tree_size": 13}).json()
    assert (latest["tree_size"], latest["checkpoint"]) == (13, None)


def test_consistency_proof_verifies(client: Any, db: None) -> None:
    append(20)
    data = client.get(f"{BASE}/proof/consistency", {"first": 7, "second": 20}).json()
    merkle.verify_consistency(
        7,
        20,
        base64.b64decode(data["first_root"]),
        base64.b64decode(data["second_root"]),
        _hashes(data["proof"]),
    )
    assert base64.b64decode(data["second_root"]) == selectors.root_at(20)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("proof/inclusion", {"sequence": 5, "tree_size": 5}),
        ("proof/inclusion", {"sequence": 0, "tree_size": 99}),
        ("proof/consistency", {"first": 0, "second": 3}),
        ("proof/consistency", {"first": 4, "second": 3}),
        ("proof/consistency", {"first": 2, "second": 40}),
    ],
)
def test_bad_sizes_are_coded_422(client: Any, db: None, path: str, params: dict) -> None:
    append(5)
    response = client.get(f"{BASE}/{path}", params)
    assert response.status_code == 422
    assert response.json()["code"] == "ledger.bad_tree_size"


@pytest.mark.parametrize(
    "query",
    [
        "proof/inclusion?sequence=1&tree_size=99999999999999999999999",
        "proof/inclusion?sequence=-1",
        "proof/inclusion?sequence=abc",
        "proof/consistency?first=99999999999999999999&second=99999999999999999999",
        "proof/consistency?first=-1&second=1",
    ],
)
def test_out_of_range_proof_requests_are_coded_errors(client: Any, query: str) -> None:
    append(3)
    response = client.get(f"{BASE}/{query}")
    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("applicant", 403), ("centre_staff", 200), ("superuser", 200)],
)
def test_entries_are_for_staff(client: Any, django_user_model: Any, who: str, status: int) -> None:
    from onewindow.accounts.models import ServiceCentre, StaffAssignment

    append(2, subject="case:WH1")
    append(1, subject="case:WH2")
    if who != "anonymous":
        user = django_user_model.objects.create_user(
            username=who, password="x-Very-long-pass-1", is_superuser=who == "superuser"
        )
        if who == "centre_staff":
            centre = ServiceCentre.objects.create(
                code="c1",
                name_zh="中心",
                name_en="Centre",
                kind="district",
                city_code="420100",
                jurisdiction_code="420111",
            )
            StaffAssignment.objects.create(
                user=user, centre=centre, role="supervisor", jurisdiction_code="420111"
            )
        client.force_login(user)
    response = client.get(f"{BASE}/entries", {"subject": "case:WH1"})
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert [(e["sequence"], e["event"], e["reason"]) for e in body] == [
            (0, "case_step_recorded", "step 0"),
            (1, "case_step_recorded", "step 1"),
        ]
        assert body[1]["inclusion_proof_url"] == f"{BASE}/proof/inclusion?sequence=1"
    else:
        assert response.json()["code"] in {"auth.required", "ledger.staff_only"}
