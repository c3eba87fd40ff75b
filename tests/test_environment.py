"""Every environment value the tools read is parsed strictly: generated values, accepted exactly when valid.

(The commands' one-line errors are in tests/test_checkout.py.)
"""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.reproducible import EPOCH_RANGE, EpochError, given_epoch
from generator.templatecache import CacheSettingError, given_switch

# Digits of every kind, signs, spaces, exponents, separators, and plain text.
VALUES = st.one_of(st.text(alphabet="0123456789²１٣ -+e.,_xon\t", max_size=12),
                   st.integers(-10, 2**33).map(str), st.sampled_from(["on", "off", "On", " off", "1", "0", ""]))


@given(VALUES)
def test_source_date_epoch_is_ascii_digits_in_range(value: str) -> None:
    valid = value.strip() == "" or (value.strip().isascii() and value.strip().isdecimal()
                                    and int(value.strip()) <= EPOCH_RANGE[1])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", value)
        if valid:
            assert given_epoch() == (int(value) if value.strip() else None)
        else:
            with pytest.raises(EpochError, match=r"^SOURCE_DATE_EPOCH must be"):
                given_epoch()


@given(VALUES)
def test_factsheet_cache_is_on_or_off(value: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACTSHEET_CACHE", value)
        if value in ("", "on", "off"):
            assert given_switch() is (value != "off")
        else:
            with pytest.raises(CacheSettingError, match=r"^FACTSHEET_CACHE must be on or off"):
                given_switch()
    assert "FACTSHEET_CACHE" not in os.environ
