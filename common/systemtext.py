"""System messages kept as their source text and parameters, rendered in the reader's language.

A notification written by the system (a payout was approved, a reminder) is stored as
``Text`` parts, not as a sentence in the language of whoever caused it: the inbox renders
each part with ``gettext`` in the reader's active language, and an e-mail in the
recipient's chosen one. A parameter that is itself a word to translate (a state, a kind)
is passed as ``word(label)`` with the label's lazy text (``choice(obj, "state")`` for a
choice field: ``get_state_display()`` is already in the writer's language); names, numbers
and amounts pass as they are; a date as
``day(date)``, written in the reader's format. A row written before (``message`` only) is shown as written.

    Text(_("Payout #%(number)s: %(kind)s."), number=7, kind=word(Payout.Kind(payout.kind).label))
"""

import datetime
import logging

from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

logger = logging.getLogger(__name__)


def _source(text) -> str:
    # Our catalogue has no English file: under "en" a lazy text is its own msgid.
    with translation.override("en"):
        return str(text)


def _context(text) -> str:
    """The context of a ``pgettext_lazy`` text ("" for any other): "Active" as an award's state
    is not "Active" as an account's."""
    if not isinstance(text, Promise):
        return ""
    _unpickle, (func, args, *_rest) = text.__reduce__()
    return args[0] if func is pgettext and len(args) == 2 else ""


def _translated(msgid: str, context: str = "") -> str:
    return pgettext(context, msgid) if context else gettext(msgid)


def word(label) -> dict:
    """A parameter to translate for the reader (a state's or kind's label)."""
    context = _context(label)
    return {"t": _source(label), "c": context} if context else {"t": _source(label)}


def choice(obj, field: str = "state") -> dict:
    """The label of ``obj``'s choice ``field`` as a word to translate for the reader."""
    value = getattr(obj, field)
    return word(dict(obj._meta.get_field(field).flatchoices).get(value, value))


def day(value: datetime.date) -> dict:
    """A date parameter, written in the reader's own date format (2026年6月30日, June 30, 2026)."""
    return {"d": value.isoformat()}


def _value(value):
    if isinstance(value, dict) and "t" in value:
        return _translated(value["t"], value.get("c", ""))
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
        self.context = _context(text)
        self.params = {name: _plain(value) for name, value in params.items()}

    def stored(self) -> list:
        return [self.msgid, self.params, self.context] if self.context else [self.msgid, self.params]

    def __str__(self):
        return render(self.stored())


def render(stored) -> str:
    """A stored ``[msgid, params(, context)]`` in the active language (a plain string passes as it is)."""
    if isinstance(stored, str):
        return stored
    msgid, params, *context = stored
    text = _translated(msgid, *context)
    if not params:
        return text
    values = {name: _value(value) for name, value in params.items()}
    try:
        return text % values
    except (KeyError, TypeError, ValueError):
        # A translation that lost a parameter must not break the inbox: show the source text.
        logger.warning("Broken translation of a system message: %r", msgid)
        return msgid % values


def render_lines(parts) -> str:
    return "\n".join(render(part) for part in parts)
