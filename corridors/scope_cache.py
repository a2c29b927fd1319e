"""A reader's scope (``corridors.selectors.scope_of``) kept in Django's cache.

Every staff page asks it (the permission check, the lists' scoping, the menu): two queries
and ~3 ms of CPU to build them each time. It is stored per reader, in the cache every node
shares, together with the generations it was computed under (``common.pagecache``):

- ``("scope", user_pk)``: bumped (at once and again on commit) whenever one of the reader's
  role assignments or oversights is saved or deleted, and whenever their account is saved
  (``is_superuser``, ``is_active``);
- ``("streets", 0)``: bumped whenever a street or a district is saved or deleted (the
  superuser is staff of every street; an oversight covers every street of its district);
- the page cache's ``("site", 0)``, renewed by ``manage.py clear_page_cache`` (after a
  deployment or a database restore).

One ``get_many`` reads the stored scope and the current generations; the scope is used only
if they match, so a role taken away is gone on the very next page, on every node. A scope
read inside a transaction is not stored (the transaction may roll back its own changes). A writer
that skips signals (``bulk_create``, ``QuerySet.update``) calls ``scope_changed``.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from common.pagecache import SITE, _generation_key, bump, generations

KIND = "scope"
STREETS = ("streets", 0)
TIMEOUT = 3600


def cached_scope(user, compute):
    """The scope of ``user``: the stored one if still current, else ``compute()`` (stored)."""
    if user.pk is None:
        return compute()
    dependencies = [(KIND, user.pk), STREETS, SITE]
    entry_key = f"scope:v1:{user.pk}:{int(user.is_superuser)}"
    found = cache.get_many([entry_key, *(_generation_key(kind, ident) for kind, ident in dependencies)])
    stamp = generations(dependencies, found)
    stored = found.get(entry_key)
    if stored is not None and stored[0] == stamp:
        return stored[1]
    scope = compute()
    if _outside_transactions():
        cache.set(entry_key, (stamp, scope), timeout=TIMEOUT)
    return scope


def _outside_transactions() -> bool:
    """Not inside a transaction that could still roll back: a scope read there may include
    the transaction's own role changes, whose generation is bumped at once but never again
    if it rolls back. (A test case's own transaction, as Django's ``durable`` check, counts
    as none.)"""
    blocks = transaction.get_connection().atomic_blocks
    return all(getattr(block, "_from_testcase", False) for block in blocks)


def scope_changed(*user_ids) -> None:
    """Retire the stored scopes of these readers (their roles or oversights changed)."""
    bump(KIND, *sorted({pk for pk in user_ids if pk is not None}))


def streets_changed() -> None:
    bump(*STREETS)


def _assignment_changed(sender, instance, **kwargs) -> None:
    scope_changed(instance.user_id)


def _user_changed(sender, instance, **kwargs) -> None:
    scope_changed(instance.pk)


def _street_changed(sender, instance, **kwargs) -> None:
    streets_changed()


def connect() -> None:
    from corridors.models import District, Oversight, RoleAssignment, Street, User

    for model, receiver in (
        (RoleAssignment, _assignment_changed),
        (Oversight, _assignment_changed),
        (User, _user_changed),
        (Street, _street_changed),
        (District, _street_changed),
    ):
        label = model._meta.label
        post_save.connect(receiver, sender=model, dispatch_uid=f"scope-cache-save-{label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"scope-cache-delete-{label}")
