from hypothesis import given
from hypothesis import strategies as st

from onewindow.cases.policies import normalise_tracking_number, s10_check_digit


def test_known_s10_numbers():
    assert normalise_tracking_number("EA123456785CN") == "EA123456785CN"
    assert normalise_tracking_number(" ea 123456785 cn ") == "EA123456785CN"
    assert normalise_tracking_number("EA123456784CN") is None
    assert normalise_tracking_number("1234567890123") == "1234567890123"
    assert normalise_tracking_number("12345") is None
    assert normalise_tracking_number("") is None


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_s10_check_digit_accepts_exactly_one_digit(serial):
    good = s10_check_digit(serial)
    results = [normalise_tracking_number(f"EE{serial}{d}CN") for d in range(10)]
    assert [r is not None for r in results] == [d == good for d in range(10)]
