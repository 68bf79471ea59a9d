"""The dates an output prints and the date stamped into its file: never the clock."""

from __future__ import annotations

import datetime as dt
import os
import re

from ..errors import HandoutsError

# The last second a four-digit year can hold (9999-12-31 23:59:59 UTC): dates in PDFs,
# decks and Python's own datetime stop there.
LATEST_EPOCH = 253402300799


class SourceDateError(HandoutsError):
    """$SOURCE_DATE_EPOCH is set to something that is not a date: a usage error (exit 2),
    as the reproducible-builds specification asks ("the build SHOULD exit with an error")."""

    exit_code = 2


def source_date_epoch() -> int | None:
    """$SOURCE_DATE_EPOCH as seconds since 1970, None when unset or empty.

    Raise SourceDateError for anything else than ASCII digits from 0 to LATEST_EPOCH:
    ignoring it would silently stamp another date than the one asked for.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,12}", value, re.ASCII) or int(value) > LATEST_EPOCH:
        shown = value if len(value) <= 30 else value[:27] + "..."
        raise SourceDateError(f"SOURCE_DATE_EPOCH={shown!r} is not a date: it should be a "
                              f"whole number of seconds since 1970-01-01, from 0 to "
                              f"{LATEST_EPOCH} (9999-12-31); unset it to use the topic's "
                              "review date")
    return int(value)


def source_date(review_date: dt.date) -> dt.datetime:
    """The date written into files: $SOURCE_DATE_EPOCH when set, else the review date.

    Never the clock: the same inputs must give the same bytes.
    """
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=epoch)
    return dt.datetime.combine(review_date, dt.time())


def long_date(day: dt.date, language: str) -> str:
    """'November 25, 2026', '25 de noviembre de 2026': as a reader of `language` writes it."""
    from babel.dates import format_date
    return format_date(day, format="long", locale=language.replace("-", "_"))
