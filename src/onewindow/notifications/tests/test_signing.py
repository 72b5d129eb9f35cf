"""Standard Webhooks signatures: the specification's reference vector, and refusals."""

from __future__ import annotations

import pytest

from onewindow.notifications import signing

# The reference example of the Standard Webhooks specification (also Svix's test vector).
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = b'{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_reference_vector_is_reproduced():
    assert signing.sign(SECRET, MSG_ID, TIMESTAMP, BODY) == SIGNATURE


def test_reference_vector_verifies_at_its_time():
    headers = {
        "Webhook-Id": MSG_ID,
        "Webhook-Timestamp": str(TIMESTAMP),
        "Webhook-Signature": f"v1,bm90IGl0 {SIGNATURE}",
    }
    assert signing.verify(SECRET, headers, BODY, now=TIMESTAMP + 10) == MSG_ID


@pytest.mark.parametrize(
    ("body", "timestamp", "now", "problem"),
    [
        (b'{"test": 2432232315}', TIMESTAMP, TIMESTAMP, "no signature matches"),
        (BODY, TIMESTAMP, TIMESTAMP + 301, "timestamp outside the tolerance"),
        (BODY, TIMESTAMP, TIMESTAMP - 301, "timestamp outside the tolerance"),
    ],
)
def test_tampered_or_stale_messages_are_refused(body, timestamp, now, problem):
    headers = signing.headers(SECRET, MSG_ID, timestamp, BODY)
    with pytest.raises(signing.SignatureInvalid, match=problem):
        signing.verify(SECRET, headers, body, now=now)


def test_another_secret_does_not_verify():
    headers = signing.headers(SECRET, MSG_ID, TIMESTAMP, BODY)
    other = signing.new_secret()
    assert other.startswith("whsec_") and other != SECRET
    with pytest.raises(signing.SignatureInvalid, match="no signature matches"):
        signing.verify(other, headers, BODY, now=TIMESTAMP)


def test_missing_headers_are_refused():
    with pytest.raises(signing.SignatureInvalid, match="missing or malformed"):
        signing.verify(SECRET, {"webhook-id": MSG_ID}, BODY, now=TIMESTAMP)
