"""SM2 (国密) through gmalglib, checked against GB/T 32918.2 Annex A.

The published example uses the Annex's own test curve, while gmalglib is fixed to the
recommended curve sm2p256v1, so the check is a chain: a small curve-parameterised reference
implementation here (with SM3 from `cryptography`, itself checked against GB/T 32905) must
reproduce the Annex example exactly (public key, Z_A, e, r, s); then gmalglib and the
reference must agree on sm2p256v1 (Z_A, signatures both ways, and the same r, s for the same
nonce k)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import hashes

gmalglib_sm2 = pytest.importorskip("gmalglib.sm2", reason="the optional sm2 extra")
from onewindow.certificates.cose import decode_sign1  # noqa: E402
from onewindow.certificates.signers import get_algorithm  # noqa: E402
from onewindow.certificates.signers.sm2 import USER_ID  # noqa: E402


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


class Curve:
    def __init__(self, p: int, a: int, b: int, gx: int, gy: int, n: int) -> None:
        self.p, self.a, self.b, self.g, self.n = p, a, b, (gx, gy), n

    def add(self, P, Q):  # affine; None is the point at infinity
        if P is None:
            return Q
        if Q is None:
            return P
        p = self.p
        if P[0] == Q[0] and (P[1] + Q[1]) % p == 0:
            return None
        if P == Q:
            slope = (3 * P[0] * P[0] + self.a) * pow(2 * P[1], -1, p) % p
        else:
            slope = (Q[1] - P[1]) * pow(Q[0] - P[0], -1, p) % p
        x = (slope * slope - P[0] - Q[0]) % p
        return x, (slope * (P[0] - x) - P[1]) % p

    def mul(self, k: int, P):
        result = None
        while k:
            if k & 1:
                result = self.add(result, P)
            P = self.add(P, P)
            k >>= 1
        return result

    def za(self, user_id: bytes, public) -> bytes:
        def b32(v: int) -> bytes:
            return v.to_bytes(32, "big")

        entl = (len(user_id) * 8).to_bytes(2, "big")
        return sm3(
            entl
            + user_id
            + b32(self.a)
            + b32(self.b)
            + b32(self.g[0])
            + b32(self.g[1])
            + b32(public[0])
            + b32(public[1])
        )

    def sign(self, d: int, user_id: bytes, message: bytes, k: int) -> tuple[int, int]:
        public = self.mul(d, self.g)
        e = int.from_bytes(sm3(self.za(user_id, public) + message), "big")
        x1 = self.mul(k, self.g)[0]
        r = (e + x1) % self.n
        s = pow(1 + d, -1, self.n) * (k - r * d) % self.n
        return r, s

    def verify(self, public, user_id: bytes, message: bytes, r: int, s: int) -> bool:
        if not (0 < r < self.n and 0 < s < self.n):
            return False
        e = int.from_bytes(sm3(self.za(user_id, public) + message), "big")
        t = (r + s) % self.n
        if t == 0:
            return False
        point = self.add(self.mul(s, self.g), self.mul(t, public))
        return point is not None and (e + point[0]) % self.n == r


def _h(value: str) -> int:
    return int(value, 16)


@pytest.fixture(scope="module")
def vectors(shared_data):
    data = json.loads((shared_data / "crypto_vectors/sm2_sm3_sm4_vectors.json").read_text())
    return {v["id"]: v for v in data["vectors"]}


def test_sm3_known_answers(vectors):
    from gmalglib.sm3 import SM3

    for name in ("sm3-abc", "sm3-abcd*16"):
        vector = vectors[name]
        message = bytes.fromhex(vector["message_hex"])
        assert sm3(message).hex() == vector["digest_hex"]
        assert SM3(message).digest().hex() == vector["digest_hex"]


def test_reference_reproduces_the_gbt_32918_annex_example(vectors):
    v = vectors["sm2-sign-gbt32918.2-annexA-fp256"]
    c = v["curve"]
    curve = Curve(_h(c["p"]), _h(c["a"]), _h(c["b"]), _h(c["Gx"]), _h(c["Gy"]), _h(c["n"]))
    d, user_id, message = (
        _h(v["private_key_d"]),
        v["user_id_ascii"].encode(),
        v["message_ascii"].encode(),
    )
    public = curve.mul(d, curve.g)
    assert public == (_h(v["public_key_Px"]), _h(v["public_key_Py"]))
    za = curve.za(user_id, public)
    assert za.hex().upper() == v["ZA"]
    assert sm3(za + message).hex().upper() == v["e"]
    r, s = curve.sign(d, user_id, message, _h(v["k"]))
    assert (r, s) == (_h(v["r"]), _h(v["s"]))
    assert curve.verify(public, user_id, message, r, s)
    assert not curve.verify(public, user_id, message + b".", r, s)


def _recommended() -> Curve:
    from gmalglib.sm2 import (
        SM2_PARAMS_A,
        SM2_PARAMS_B,
        SM2_PARAMS_G,
        SM2_PARAMS_N,
        SM2_PARAMS_P,
    )

    return Curve(
        *(int.from_bytes(x, "big") for x in (SM2_PARAMS_P, SM2_PARAMS_A, SM2_PARAMS_B)),
        *(int.from_bytes(x, "big") for x in SM2_PARAMS_G),
        int.from_bytes(SM2_PARAMS_N, "big"),
    )


def test_gmalglib_agrees_with_the_reference_on_sm2p256v1():
    from gmalglib.sm2 import SM2

    curve = _recommended()
    assert curve.n == 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
    private, public_bytes = SM2(uid=USER_ID).generate_keypair()
    d = int.from_bytes(private, "big")
    public = curve.mul(d, curve.g)
    assert public_bytes == b"\x04" + public[0].to_bytes(32, "big") + public[1].to_bytes(32, "big")
    assert SM2(sk=private, uid=USER_ID).get_entity_info() == curve.za(USER_ID, public)
    message = b"OneWindow licence payload"
    signature = SM2(sk=private, uid=USER_ID).sign(message)
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    assert curve.verify(public, USER_ID, message, r, s)
    k = 0x6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F
    # gmalglib reads the nonce bytes from its random source as a little-endian integer.
    ours = SM2(sk=private, uid=USER_ID, rnd_fn=lambda n: k.to_bytes(n, "little")).sign(message)
    assert ours == b"".join(x.to_bytes(32, "big") for x in curve.sign(d, USER_ID, message, k))
    r2, s2 = curve.sign(d, USER_ID, b"from the reference", 0x1234567)
    joined = r2.to_bytes(32, "big") + s2.to_bytes(32, "big")
    assert SM2(pk=public_bytes, uid=USER_ID).verify(b"from the reference", joined)


def test_the_sm2_signer_of_the_seam_makes_cose_the_reference_accepts():
    from onewindow.certificates.cose import encode_sign1

    algorithm = get_algorithm("sm2")
    private = algorithm.generate_private_key()
    public = algorithm.public_key(private)
    signed = decode_sign1(
        encode_sign1({1: algorithm.cose_alg}, b"claims", algorithm.signer(private))
    )
    point = (int.from_bytes(public[1:33], "big"), int.from_bytes(public[33:], "big"))
    r = int.from_bytes(signed.signature[:32], "big")
    s = int.from_bytes(signed.signature[32:], "big")
    assert _recommended().verify(point, USER_ID, signed.to_be_signed(), r, s)
    verify = algorithm.verifier(public)
    assert verify(signed.to_be_signed(), signed.signature)
    assert not verify(signed.to_be_signed() + b"x", signed.signature)
    assert not verify(signed.to_be_signed(), b"\x00" * 64)
    with pytest.raises(ValueError):
        algorithm.verifier(b"\x04" + b"\x01" * 64)
