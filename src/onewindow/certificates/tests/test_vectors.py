"""Known-answer tests from ../shared/data/crypto_vectors: RFC 9285 Base45 and the EU Digital
COVID Certificate signed-QR test data (our Base45, zlib handling and COSE_Sign1 decoding and
Sig_structure checked against another issuer's real codes)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zlib
from pathlib import Path

import cbor2
import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hypothesis import given
from hypothesis import strategies as st

from onewindow.certificates.cose import CoseError, decode_sign1
from onewindow.certificates.qr import base45, image
from onewindow.certificates.trust import TrustList
from onewindow.certificates.verification import verify_text


def _dgc_files(shared: Path) -> list[Path]:
    return sorted((shared / "crypto_vectors/dgc_testdata_common/common/2DCode/raw").glob("*.json"))


SHARED = Path(__file__).resolve().parents[5] / "shared" / "data"
DGC = {path.stem: path for path in _dgc_files(SHARED)} if SHARED.is_dir() else {}


def test_base45_rfc9285_vectors(shared_data):
    vectors = json.loads((shared_data / "crypto_vectors/base45_rfc9285_vectors.json").read_text())
    checked = 0
    for vector in vectors["vectors"]:
        if vector["valid"]:
            data = bytes.fromhex(vector["bytes_hex"])
            assert base45.encode(data) == vector["base45"]
            assert base45.decode(vector["base45"]) == data
        else:
            with pytest.raises(base45.Base45Error):
                base45.decode(vector["base45"])
        checked += 1
    assert checked == 7


@given(st.binary(max_size=600))
def test_base45_round_trip(data):
    text = base45.encode(data)
    assert set(text) <= set(base45.ALPHABET)
    assert base45.decode(text) == data


def _verify(cose_hex: str, certificate_b64: str) -> bool:
    """DCC rule: the protected kid (else the unprotected one) must name the signer's
    certificate (first 8 bytes of its SHA-256), and the signature must verify."""
    certificate = base64.b64decode(certificate_b64)
    sign1 = decode_sign1(bytes.fromhex(cose_hex))
    if sign1.kid != hashlib.sha256(certificate).digest()[:8]:
        return False
    key = x509.load_der_x509_certificate(certificate).public_key()
    try:
        if sign1.alg == -7 and isinstance(key, ec.EllipticCurvePublicKey):
            r = int.from_bytes(sign1.signature[:32], "big")
            s = int.from_bytes(sign1.signature[32:], "big")
            key.verify(encode_dss_signature(r, s), sign1.to_be_signed(), ec.ECDSA(hashes.SHA256()))
        elif sign1.alg == -37 and isinstance(key, rsa.RSAPublicKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            key.verify(sign1.signature, sign1.to_be_signed(), pss, hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True


@pytest.mark.parametrize("name", sorted(DGC))
def test_eu_dcc_test_data(name):
    case = json.loads(DGC[name].read_text())
    expected = case["EXPECTEDRESULTS"]
    checked = []
    if "BASE45" in case and "EXPECTEDB45DECODE" in expected:
        try:
            decoded = base45.decode(case["BASE45"])
            ok = "COMPRESSED" not in case or decoded.hex() == case["COMPRESSED"].lower()
        except base45.Base45Error:
            ok = False
        assert ok == expected["EXPECTEDB45DECODE"]
        checked.append("base45")
    if "COMPRESSED" in case and "COSE" in case and "EXPECTEDCOMPRESSION" in expected:
        try:
            ok = zlib.decompress(bytes.fromhex(case["COMPRESSED"])).hex() == case["COSE"].lower()
        except zlib.error:
            ok = False
        assert ok == expected["EXPECTEDCOMPRESSION"]
        checked.append("zlib")
    if "COSE" in case and "EXPECTEDVERIFY" in expected:
        try:
            ok = _verify(case["COSE"], case["TESTCTX"]["CERTIFICATE"])
        except CoseError:
            ok = False
        assert ok == expected["EXPECTEDVERIFY"]
        checked.append("cose+signature")
    elif "COSE" in case:
        # Cases about key usage or expiry carry correctly signed codes.
        assert _verify(case["COSE"], case["TESTCTX"]["CERTIFICATE"])
        checked.append("signature")
    if "COSE" in case and "CBOR" in case and expected.get("EXPECTEDDECODE"):
        # The CWT payload carries the certificate under claim -260 / 1 (hcert); the file's
        # CBOR is that certificate (indefinite-length maps, so compare decoded values).
        cwt = cbor2.loads(decode_sign1(bytes.fromhex(case["COSE"])).payload)
        assert cwt[-260][1] == cbor2.loads(bytes.fromhex(case["CBOR"]))
        checked.append("payload")
    if "2DCODE" in case and "EXPECTEDPICTUREDECODE" in expected:
        texts = image.read_texts(io.BytesIO(base64.b64decode(case["2DCODE"])))
        assert (texts == [case["PREFIX"]]) == expected["EXPECTEDPICTUREDECODE"]
        checked.append("picture")
    if "PREFIX" in case:
        # Another issuer's QR is never taken for ours.
        assert verify_text(case["PREFIX"], TrustList({}, {})).reason == "payload.prefix_unknown"
    print(name, checked)


def test_dcc_data_really_exercised_the_decoder():
    cose = [name for name, path in DGC.items() if "COSE" in json.loads(path.read_text())]
    assert len(DGC) == 38 and len(cose) == 26, cose
