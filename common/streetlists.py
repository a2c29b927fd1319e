"""The services behind every list a street keeps for itself (corridor themes, request categories).

Each app keeps its own model (a ``common.models.StreetListEntry``) and its own words; the writes
are these, once: add at the end, rename, withdraw from new use or offer again, seed the defaults.
The caller checks that the actor may edit the street's lists before calling (``common`` knows no
roles). A name is unique per street: a check gives the sentence, the unique constraint stops the
race between two staff adding or renaming at once.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.functional import Promise

from common.models import StreetListEntry
from common.refusals import Refused

Entry = TypeVar("Entry", bound=StreetListEntry)


@dataclass(frozen=True)
class ListWords:
    """What a list says when a name is missing or taken (``taken`` may use ``%(name)s``)."""

    no_name: str | Promise
    taken: str | Promise


def _taken(words: ListWords, name: str) -> Refused:
    return Refused(str(words.taken) % {"name": name}, field="name")


def clean_entry_name(model: type[Entry], *, street_id: int, name: str, words: ListWords, exclude_pk=None) -> str:
    """The name stripped, refused when empty or already on the street's list."""
    name = name.strip()
    if not name:
        raise Refused(str(words.no_name), field="name")
    if model._default_manager.filter(street_id=street_id, name=name).exclude(pk=exclude_pk).exists():
        raise _taken(words, name)
    return name


@transaction.atomic
def entry_add(model: type[Entry], *, street_id: int, name: str, words: ListWords) -> Entry:
    """A new entry at the end of the street's list."""
    name = clean_entry_name(model, street_id=street_id, name=name, words=words)
    last = model._default_manager.filter(street_id=street_id).aggregate(m=Max("position"))["m"]
    try:
        with transaction.atomic():  # the unique constraint behind the check above
            return model._default_manager.create(
                street_id=street_id, name=name, position=0 if last is None else last + 1
            )
    except IntegrityError as exc:
        raise _taken(words, name) from exc


@transaction.atomic
def entry_rename(model: type[Entry], *, entry: Entry, name: str, words: ListWords) -> Entry:
    """Rename an entry; what chose it points to the entry, so it shows the new name."""
    # Two staff renaming the same entry at once: the second renames what the first saved.
    locked = model._default_manager.select_for_update().get(pk=entry.pk)
    locked.name = clean_entry_name(model, street_id=locked.street_id, name=name, words=words, exclude_pk=locked.pk)
    try:
        with transaction.atomic():
            locked.save(update_fields=["name"])
    except IntegrityError as exc:
        raise _taken(words, locked.name) from exc
    return locked


@transaction.atomic
def entry_set_active(model: type[Entry], *, entry: Entry, active: bool) -> Entry:
    """An inactive entry is no longer offered for new use; what already chose it keeps it."""
    locked = model._default_manager.select_for_update().get(pk=entry.pk)
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    entry.is_active = active  # the caller's copy says what was saved
    return locked


@transaction.atomic
def entries_ensure_defaults(model: type[Entry], *, street_id: int, names: Iterable[str]) -> None:
    """Give a street the default list once; the street edits it afterwards."""
    if model._default_manager.filter(street_id=street_id).exists():
        return
    model._default_manager.bulk_create(
        model(street_id=street_id, name=name, position=i) for i, name in enumerate(names)
    )
