"""System messages kept as their source text and parameters, rendered in the reader's language.

A notification written by the system (a payout was approved, a reminder) is stored as
``Text`` parts, not as a sentence in the language of whoever caused it: the inbox renders
each part with ``gettext`` in the reader's active language, and an e-mail in the
recipient's chosen one. A parameter that is itself a word to translate (a state, a kind)
is passed as ``word(label)``, a date as ``day(date)``; names, numbers and amounts pass as they are.

    Text(_("Payout #%(number)s: %(kind)s."), number=7, kind=word(payout.get_kind_display()))
"""

import datetime

from django.utils import formats, translation
from django.utils.translation import gettext


def _source(text) -> str:
    # Our catalogue has no English file: under "en" a lazy text is its own msgid.
    with translation.override("en"):
        return str(text)


def word(label) -> dict:
    """A parameter to translate for the reader (a state's or kind's label)."""
    return {"t": _source(label)}


def day(value: datetime.date) -> dict:
    """A date parameter, written in the reader's own date format (2026年6月30日, June 30, 2026)."""
    return {"d": value.isoformat()}


def _value(value):
    if isinstance(value, dict) and "t" in value:
        return gettext(value["t"])
    if isinstance(value, dict) and "d" in value:
        return formats.date_format(datetime.date.fromisoformat(value["d"]), "DATE_FORMAT")
    return value


def _plain(value):
    if isinstance(value, dict) or value is None or isinstance(value, int | float | bool):
        return value
    return str(value)


class Text:
    """One sentence: its source text (the msgid) and JSON-able parameters."""

    def __init__(self, text, **params):
        self.msgid = _source(text)
        self.params = {name: _plain(value) for name, value in params.items()}

    def stored(self) -> list:
        return [self.msgid, self.params]

    def __str__(self):
        return render(self.stored())


def render(stored) -> str:
    """A stored ``[msgid, params]`` in the active language (a plain string passes as it is)."""
    if isinstance(stored, str):
        return stored
    msgid, params = stored
    if not params:
        return gettext(msgid)
    values = {name: _value(value) for name, value in params.items()}
    return gettext(msgid) % values


def render_lines(parts) -> str:
    return "\n".join(render(part) for part in parts)
