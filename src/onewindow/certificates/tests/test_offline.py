"""`onewindow verify` without network or database: QR text or a photo, a trust list file, a
signed revocation list file; and `onewindow certificates` exports."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from onewindow.certificates import selectors, services
from onewindow.certificates.qr import image

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def lists(licence, tmp_path) -> dict[str, Path]:
    trust_file, revocation_file = tmp_path / "trust.json", tmp_path / "revocations.json"
    code, output = run("certificates", "trust-list", "--out", str(trust_file))
    assert code == 0 and output.startswith(f"{trust_file} sha256=")
    assert run("certificates", "revocations", "--out", str(revocation_file))[0] == 0
    return {"trust": trust_file, "revocations": revocation_file}


def test_valid_licence_from_text_and_from_a_photo(
    licence, lists, tmp_path, django_assert_num_queries
):
    with django_assert_num_queries(0):
        code, output = run("verify", licence.payload, "--trust-list", str(lists["trust"]))
    assert code == 0
    assert output.splitlines()[:2] == ["有效", "证照有效，签名核验通过 [ok]"]
    assert "（未提供撤销清单：未检查撤销状态）" in output
    photo = tmp_path / "licence.png"
    image.printed(image.make_code(licence.payload), mm=35, dpi=300).save(photo)
    code, output = run(
        "verify",
        str(photo),
        "--trust-list",
        str(lists["trust"]),
        "--revocations",
        str(lists["revocations"]),
        "--json",
    )
    data = json.loads(output)
    assert (code, data["valid"], data["revocation_list_checked"]) == (0, True, True)
    assert [p["status"] for p in data["permits"]] == ["valid"] * 5


def test_revocations_reach_the_offline_verifier_through_the_next_list(licence, tmp_path, lists):
    permit = selectors.permits_of(licence)[4]
    services.revoke_certificate(certificate=permit, actor="user:9", reason="计量授权撤销")
    old_list = lists["revocations"]
    code, output = run(
        "verify",
        licence.payload,
        "--trust-list",
        str(lists["trust"]),
        "--revocations",
        str(old_list),
        "--language",
        "en",
    )
    assert code == 0 and f"{permit.number} → valid" in output  # the old list does not know yet
    new_list = tmp_path / "revocations-2.json"
    run("certificates", "revocations", "--out", str(new_list))
    code, output = run(
        "verify",
        licence.payload,
        "--trust-list",
        str(lists["trust"]),
        "--revocations",
        str(new_list),
        "--language",
        "en",
    )
    assert code == 0 and f"{permit.number} → revoked" in output
    services.revoke_certificate(certificate=licence, actor="user:9", reason="吊销营业执照")
    run("certificates", "revocations", "--out", str(new_list))
    code, output = run(
        "verify",
        licence.payload,
        "--trust-list",
        str(lists["trust"]),
        "--revocations",
        str(new_list),
    )
    assert code == 1 and "证照已被撤销 [certificate.revoked]" in output


def test_a_tampered_revocation_list_or_trust_list_is_refused(licence, lists):
    permit = selectors.permits_of(licence)[0]
    services.revoke_certificate(certificate=permit, actor="user:9", reason="撤销")
    run("certificates", "revocations", "--out", str(lists["revocations"]))
    document = json.loads(lists["revocations"].read_text())
    assert len(document["entries"]) == 1
    document["entries"] = {}  # hide the revocation
    lists["revocations"].write_text(json.dumps(document))
    code, output = run(
        "verify",
        licence.payload,
        "--trust-list",
        str(lists["trust"]),
        "--revocations",
        str(lists["revocations"]),
    )
    assert code == 2 and "signature does not verify" in output
    lists["trust"].write_text("{}")
    code, output = run("verify", licence.payload, "--trust-list", str(lists["trust"]))
    assert code == 2 and "not a trust list" in output


def test_invalid_input_exits_1_with_the_reason(lists):
    code, output = run("verify", "OW1:%%%", "--trust-list", str(lists["trust"]))
    assert code == 1 and "[payload.base45_invalid]" in output


def test_render_and_fonts_commands(licence, tmp_path):
    out = tmp_path / "licence.html"
    assert run("certificates", "render", licence.number, "--out", str(out))[0] == 0
    assert "营业执照" in out.read_text()
    assert run("certificates", "fonts") == (0, "ok\n")


def test_keygen_and_rotation_commands(departments, key_dir):
    code, output = run("certificates", "keygen", "--department", "tax")
    kid = output.split()[0]
    assert code == 0 and output.split()[1:] == ["ed25519", "certificate", "tax"]
    code, output = run(
        "certificates",
        "rotate",
        "--department",
        "tax",
        "--algorithm",
        "sm2",
        "--reason",
        "国密改造",
    )
    assert code == 0 and output.split()[1:] == ["sm2", "certificate", "tax"]
    assert {k.kid: k.status for k in selectors.signing_keys()}[kid] == "retired"
