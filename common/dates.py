"""Dates a person can mean, and pages that survive any date already stored.

Every date and time typed into a form is bounded: ``DateField`` and ``DateTimeField`` here
refuse anything before 1 January 2000 or after 31 December 2100 with a sentence in Chinese
(and tell the browser's date picker the same range), so year 1 and year 9999 never reach the
database through the app. ``require_sane_dates`` is the same check for services.

A date stored by other means (an import, the shell, a restore of old data) may still be
anything PostgreSQL holds, including years BC, which the database driver cannot turn into Python and
which used to make every page that lists it answer 500. ``install_lenient_date_readers``
(called once when the app starts) reads such values as the earliest or latest date Python
can still do arithmetic with, so the page shows an odd date and can be corrected.
"""

import datetime

import psycopg
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

_READ_AS = {
    # PostgreSQL type: (what a value before year 1 reads as, what one after 9999 reads as)
    "timestamptz": (FLOOR, CEILING),
    "timestamp": (FLOOR.replace(tzinfo=None), CEILING.replace(tzinfo=None)),
    "date": (FLOOR.date(), CEILING.date()),
}


def _lenient(loader_class, floor, ceiling):
    """A loader that asks the connection's own one (Django's time-zone loader included) first and
    reads what Python cannot hold as ``floor`` or ``ceiling``."""

    class Lenient(psycopg.adapt.Loader):
        # Django compares this with its connection's time zone before each cursor.
        timezone = getattr(loader_class, "timezone", None)

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._inner = loader_class(oid, context)

        def load(self, data):
            try:
                return self._inner.load(data)
            except (psycopg.DataError, ValueError, OverflowError):
                # "0001-12-31 23:54:17+00 BC", "infinity", "-infinity", a year past 9999...
                text = bytes(data).strip()
                return floor if text.endswith(b"BC") or text.startswith(b"-") else ceiling

    Lenient.__name__ = Lenient.__qualname__ = f"Lenient{loader_class.__name__}"
    return Lenient


def make_date_readers_lenient(connection) -> None:
    """Read BC and out-of-range timestamps and dates as the earliest or latest usable value.

    ``connection`` is a psycopg 3 connection: its text loaders for the three types (Django's
    own time-zone loader included) are wrapped, so whatever Django registered still applies.
    """
    for name, (floor, ceiling) in _READ_AS.items():
        oid = psycopg.adapters.types[name].oid
        current = connection.adapters.get_loader(oid, psycopg.pq.Format.TEXT)
        if current is None or current.__name__.startswith("Lenient"):
            continue
        connection.adapters.register_loader(name, _lenient(current, floor, ceiling))


def _on_connection_created(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql":
        make_date_readers_lenient(connection.connection)


def install_lenient_date_readers() -> None:
    """Make every new database connection read out-of-range dates leniently (called once at start)."""
    from django.db.backends.signals import connection_created

    connection_created.connect(_on_connection_created, dispatch_uid="common.dates.lenient")
