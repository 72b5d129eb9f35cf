"""Identity verification against the local table of verified identities.

The photo is compared with the reference photo's 64-bit difference hash (`photos.dhash`):
a re-encoded or slightly resized copy of the same picture stays within a few bits, another
picture differs in about half. This is a stand-in for the public-security face service
(the `http` implementation), good enough to wire and test the flow end to end.
"""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.identity import (
    MATCH,
    NAME_MISMATCH,
    NOT_FOUND,
    PHOTO_MISMATCH,
    IdentityAnswer,
    IdentitySource,
)
from onewindow.registries.models import VerifiedIdentity
from onewindow.registries.photos import dhash, similarity

MATCH_THRESHOLD = 0.85  # at most 9 of 64 bits different


@register
class LocalIdentity(IdentitySource):
    implementation = "local"

    def verify(self, *, name: str, resident_id: str, photo: bytes) -> IdentityAnswer:
        person = VerifiedIdentity.objects.filter(resident_id=resident_id).first()
        if person is None:
            return IdentityAnswer(NOT_FOUND)
        if person.name != name:
            return IdentityAnswer(NAME_MISMATCH)
        score = similarity(dhash(photo), person.photo_hash)
        return IdentityAnswer(MATCH if score >= MATCH_THRESHOLD else PHOTO_MISMATCH, score)
