"""Identity verification (身份核验): does the name match the resident ID, and does the photo
match the person's reference photo? Answers "match", "name_mismatch", "photo_mismatch" or
"not_found", with a photo similarity score in [0, 1]."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.registries.connectors.base import Connector

MATCH = "match"
NAME_MISMATCH = "name_mismatch"
PHOTO_MISMATCH = "photo_mismatch"
NOT_FOUND = "not_found"


@dataclass(frozen=True)
class IdentityAnswer:
    result: str
    score: float = 0.0


class IdentitySource(Connector):
    source = "identity"

    def verify(self, *, name: str, resident_id: str, photo: bytes) -> IdentityAnswer:
        raise NotImplementedError


from onewindow.registries.connectors.identity import http, local  # noqa: E402, F401
