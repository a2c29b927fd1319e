"""Dates a person can mean, and pages that survive any date already stored.

Every date and time typed into a form is bounded: ``DateField`` and ``DateTimeField`` here
refuse anything before 1 January 2000 or after 31 December 2100 with a sentence in Chinese
(and tell the browser's date picker the same range), so year 1 and year 9999 never reach the
database through the app. ``require_sane_dates`` is the same check for services.

A date stored by other means (an import, the shell, a restore of old data) may still be
anything PostgreSQL holds, including years BC, which psycopg2 cannot turn into Python and
which used to make every page that lists it answer 500. ``install_lenient_date_readers``
(called once when the app starts) reads such values as the earliest or latest date Python
can still do arithmetic with, so the page shows an odd date and can be corrected.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)

# What an unreadable stored value becomes: a day inside Python's range on either side, so
# a time zone conversion or a day added on a page cannot overflow.
FLOOR = datetime.datetime(1, 1, 3, tzinfo=datetime.UTC)
CEILING = datetime.datetime(9999, 12, 29, tzinfo=datetime.UTC)


def out_of_range_message():
    return _("Please give a date between %(earliest)s and %(latest)s.") % {
        "earliest": formats.date_format(EARLIEST, "DATE_FORMAT"),
        "latest": formats.date_format(LATEST, "DATE_FORMAT"),
    }


def in_range(value) -> bool:
    day = value.date() if isinstance(value, datetime.datetime) else value
    return EARLIEST <= day <= LATEST


def require_sane_dates(**values) -> None:
    """Refuse (``ValidationError`` per field) any date or datetime outside 2000–2100."""
    errors = {name: out_of_range_message() for name, value in values.items() if value and not in_range(value)}
    if errors:
        raise ValidationError(errors)


class _Bounded:
    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        kind = widget.input_type if hasattr(widget, "input_type") else ""
        if kind == "date":
            attrs.update(min=EARLIEST.isoformat(), max=LATEST.isoformat())
        elif kind == "datetime-local":
            attrs.update(min=f"{EARLIEST.isoformat()}T00:00", max=f"{LATEST.isoformat()}T23:59")
        return attrs

    def validate(self, value):
        super().validate(value)
        if value and not in_range(value):
            raise ValidationError(out_of_range_message(), code="out_of_range")

    def to_python(self, value):
        try:
            return super().to_python(value)
        except (OverflowError, ValueError) as exc:
            # A date Python can parse but not convert to the site's time zone (year 1, 9999).
            raise ValidationError(out_of_range_message(), code="out_of_range") from exc


class DateField(_Bounded, forms.DateField):
    """A date between 2000 and 2100 (Chinese message; the date picker offers the same range)."""


class DateTimeField(_Bounded, forms.DateTimeField):
    """A date and time between 2000 and 2100."""


# --- Reading whatever is stored --------------------------------------------------------------


def _lenient(original, floor, ceiling):
    def read(value, cursor):
        if value is None:
            return None
        try:
            return original(value, cursor)
        except (ValueError, OverflowError):
            # "0001-12-31 23:54:17+00 BC", "infinity", a year past 9999...
            return floor if value.endswith("BC") or value.startswith("-") else ceiling

    return read


def install_lenient_date_readers() -> None:
    """Read BC and out-of-range timestamps and dates as the earliest or latest usable value."""
    import psycopg2.extensions as ext

    readers = [
        (ext.PYDATETIMETZ, (1184,), "LENIENT_TIMESTAMPTZ", FLOOR, CEILING),
        (ext.PYDATETIME, (1114,), "LENIENT_TIMESTAMP", FLOOR.replace(tzinfo=None), CEILING.replace(tzinfo=None)),
        (ext.PYDATE, (1082,), "LENIENT_DATE", FLOOR.date(), CEILING.date()),
    ]
    for original, oids, name, floor, ceiling in readers:
        ext.register_type(ext.new_type(oids, name, _lenient(original, floor, ceiling)))
