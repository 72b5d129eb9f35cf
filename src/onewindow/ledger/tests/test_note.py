"""Signed notes, checkpoints and cosignatures against the Go sumdb/note and transparency-dev
formats vectors, and round trips with fresh keys."""

from __future__ import annotations

import base64
import struct

import pytest

from onewindow.ledger import note

# golang.org/x/mod/sumdb/note (note.go example and note_test.go): key, text and signature.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgY"
    "N1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
# transparency-dev/formats note/note_cosigv1_test.go: a 0x04 and a 0x01 verifier key, and a
# cosignature whose timestamp is 1727964367.
COSIG_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
PLUS_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
COSIG_SIG = (
    "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOwo"
    "rDcFiEBYJXORmnFBOBA=="
)


def test_go_reference_note_is_reproduced_byte_for_byte() -> None:
    signer = note.Signer.from_skey(GO_SKEY)
    assert signer.verifier().vkey() == GO_VKEY
    assert signer.skey() == GO_SKEY
    assert GO_TEXT + "\n" + signer.signature_line(GO_TEXT.encode()) == GO_NOTE
    text, verified = note.open_note(GO_NOTE, [note.Verifier.from_vkey(GO_VKEY)])
    assert text == GO_TEXT
    assert [v.name for v in verified] == ["PeterNeumann"]


def test_go_reference_note_with_one_changed_letter_is_rejected() -> None:
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_note(
            GO_NOTE.replace("cryptography", "cryptographY"), [note.Verifier.from_vkey(GO_VKEY)]
        )


def test_key_ids_of_transparency_dev_keys_recompute() -> None:
    cosigner = note.Verifier.from_vkey(COSIG_VKEY)
    assert (cosigner.signature_type, cosigner.key_id.hex()) == (0x04, "da77ade7")
    plus = note.Verifier.from_vkey(PLUS_VKEY)
    assert (plus.signature_type, plus.key_id.hex()) == (0x01, "7997405c")
    with pytest.raises(note.NoteError, match="key id does not match"):
        note.Verifier.from_vkey(COSIG_VKEY.replace("da77ade7", "00000000"))


def test_cosignature_timestamp_layout_matches_transparency_dev() -> None:
    blob = base64.b64decode(COSIG_SIG)
    assert len(blob) == 4 + 8 + 64
    assert struct.unpack(">Q", blob[4:12])[0] == 1727964367


def test_cosignature_round_trip_and_message_format() -> None:
    signer = note.Signer.generate("witness.example/w1")
    text = note.CheckpointBody("example.com/log", 20852163, bytes(32)).text()
    line = signer.cosignature_line(text.encode(), 1679315147)
    verifier = signer.verifier(note.COSIGNATURE_V1)
    _, verified = note.open_note(text + "\n" + line, [verifier])
    assert verified == [verifier]
    blob = base64.b64decode(line.split(" ")[2])
    assert blob[:4] == verifier.key_id
    assert struct.unpack(">Q", blob[4:12])[0] == 1679315147
    expected = (
        b"cosignature/v1\ntime 1679315147\nexample.com/log\n20852163\n"
        + base64.b64encode(bytes(32))
        + b"\n"
    )
    note.verify_ed25519(signer.public_key, expected, blob[12:])
    # the same key as a plain note key does not open a cosignature
    with pytest.raises(note.NoteError, match="no signature from a known key"):
        note.open_note(text + "\n" + line, [signer.verifier()])


def test_unknown_signatures_are_ignored_but_a_bad_known_one_rejects() -> None:
    log, other = note.Signer.generate("log.example/a"), note.Signer.generate("other.example")
    text = "log.example/a\n1\n" + base64.b64encode(bytes(32)).decode() + "\n"
    signed = text + "\n" + log.signature_line(text.encode()) + other.signature_line(b"x")
    assert note.open_note(signed, [log.verifier()])[0] == text
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_note(signed, [log.verifier(), other.verifier()])


@pytest.mark.parametrize(
    "bad",
    [
        "no signatures\n",
        "text\n\n- dash name AAAA\n",
        "text\n\n\u2014 name not base64!\n",
        "text\n\n\u2014 na+me AAAAAAA=\n",
        "text\x07\n\n\u2014 name AAAAAAA=\n",
    ],
)
def test_malformed_notes_are_rejected(bad: str) -> None:
    with pytest.raises(note.NoteError):
        note.parse_note(bad)


def test_checkpoint_body_parses_and_rejects_leading_zeros() -> None:
    root = base64.b64encode(bytes(range(32))).decode()
    body = note.parse_checkpoint(f"example.com/log\n42\n{root}\next\n")
    assert (body.origin, body.tree_size, body.root_hash, body.extensions) == (
        "example.com/log",
        42,
        bytes(range(32)),
        ("ext",),
    )
    assert body.text() == f"example.com/log\n42\n{root}\next\n"
    with pytest.raises(note.NoteError, match="invalid tree size"):
        note.parse_checkpoint(f"example.com/log\n042\n{root}\n")
