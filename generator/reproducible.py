"""The same input gives the same bytes: dates MkDocs writes come from the content, not the clock.

MkDocs dates the sitemap and the gzip headers by ``SOURCE_DATE_EPOCH`` when it
is set. A build sets it to the day the newest sheet last changed, unless the
caller set it, and puts the environment back as it found it afterwards.
"""

from __future__ import annotations

import os
import re

# gzip headers (sitemap.xml.gz) hold the time as an unsigned 32-bit number.
EPOCH_RANGE = (0, 2**32 - 1)
VARIABLE = "SOURCE_DATE_EPOCH"
# ASCII digits only: str.isdigit() also takes "²" and other digits int() refuses or reads otherwise.
_WHOLE_NUMBER = re.compile(r"[0-9]+", re.ASCII)


class EpochError(ValueError):
    """``SOURCE_DATE_EPOCH`` is set to something that is not a time MkDocs can write."""


def given_epoch() -> int | None:
    """The caller's ``SOURCE_DATE_EPOCH``, or None when it is unset or blank; :class:`EpochError` if not a time."""
    given = os.environ.get(VARIABLE, "").strip()
    if not given:
        return None
    if not _WHOLE_NUMBER.fullmatch(given) or int(given) > EPOCH_RANGE[1]:
        raise EpochError(f"{VARIABLE} must be a whole number of seconds from 0 to {EPOCH_RANGE[1]}, in the "
                         f"digits 0-9 (got {given!r}); unset it to date the build by its newest source")
    return int(given)


class BuildEpoch:
    """Sets ``SOURCE_DATE_EPOCH`` for one build when the caller did not, and puts back what was there."""

    def __init__(self) -> None:
        self._set = False
        self._saved: str | None = None

    def begin(self, epoch: str) -> None:
        """Date this build by ``epoch`` (Unix seconds) unless the caller's variable says otherwise.

        Raises :class:`EpochError` when the caller's value is not a time.
        """
        if given_epoch() is None:
            if not self._set:
                self._saved = os.environ.get(VARIABLE)
            os.environ[VARIABLE] = epoch
            self._set = True

    def end(self) -> None:
        """Leave the environment as the build found it; harmless when nothing was set."""
        if self._set:
            if self._saved is None:
                os.environ.pop(VARIABLE, None)
            else:
                os.environ[VARIABLE] = self._saved
            self._set = False
