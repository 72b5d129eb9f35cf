"""SM2 signatures with SM3 (GB/T 32918.2, GM/T 0003) on the recommended curve sm2p256v1,
through gmalglib (the optional `sm2` extra). Importing this module raises ImportError when
gmalglib is missing, and the seam then simply does not offer SM2.

COSE has no registered algorithm for SM2, so the private-use value -70002 is used:
signature = r || s (64 bytes), Z_A computed with the default user id "1234567812345678"
(GB/T 35276), public key = 65-byte uncompressed point.
"""

from __future__ import annotations

from gmalglib.sm2 import SM2 as _SM2  # raises ImportError without the extra

from onewindow.certificates.signers import Algorithm, SignFunction, VerifyFunction

COSE_ALG_SM2_SM3 = -70002
USER_ID = b"1234567812345678"


class SM2(Algorithm):
    name = "sm2"
    cose_alg = COSE_ALG_SM2_SM3
    label = "SM2 with SM3 (国密)"

    def generate_private_key(self) -> bytes:
        private_key, _ = _SM2(uid=USER_ID).generate_keypair()
        return bytes(private_key)

    def public_key(self, private_key: bytes) -> bytes:
        if not _SM2.is_sk_valid(private_key):
            raise ValueError("not an SM2 private key")
        return bytes(_SM2.get_pk(private_key))

    def signer(self, private_key: bytes) -> SignFunction:
        if not _SM2.is_sk_valid(private_key):
            raise ValueError("not an SM2 private key")
        return _SM2(sk=private_key, uid=USER_ID).sign

    def verifier(self, public_key: bytes) -> VerifyFunction:
        if len(public_key) != 65 or not _SM2.is_pk_valid(public_key):
            raise ValueError("not an SM2 public key")
        key = _SM2(pk=public_key, uid=USER_ID)

        def verify(message: bytes, signature: bytes) -> bool:
            if len(signature) != 64:
                return False
            try:
                return bool(key.verify(message, signature))
            except (ValueError, TypeError):
                return False

        return verify
