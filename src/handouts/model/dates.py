"""The dates an output prints and the date stamped into its file: never the clock."""

from __future__ import annotations

import datetime as dt
import os


def source_date(review_date: dt.date) -> dt.datetime:
    """The date written into files: $SOURCE_DATE_EPOCH when set, else the review date.

    Never the clock: the same inputs must give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.combine(review_date, dt.time())


def long_date(day: dt.date, language: str) -> str:
    """'November 25, 2026', '25 de noviembre de 2026': as a reader of `language` writes it."""
    from babel.dates import format_date
    return format_date(day, format="long", locale=language.replace("-", "_"))
