"""Pieces of the public pages kept in the shared cache, keyed by what they show.

A page the page cache has to render (``common.pagecache``: a visitor with a message waiting,
a query string, a text size or language not stored yet, or the first view after a change)
would render each of its cards again: a district's gallery page is 24 work cards, a street's
activities 100 entries and its calendar hundreds of events, and the template engine (or
``icalendar``) spends most of such a page's time on them. Here each card is rendered once and
kept in Django's cache (Redis on a real install: every node shares it) under a key made of

- the fragment's name and ``VERSION``,
- the language and time zone it was rendered in (a card says 照片 in Chinese and Photo in
  English),
- the ``("site", 0)`` generation, which ``manage.py clear_page_cache`` (run after every
  deployment) renews: new templates never meet old fragments,
- and **everything the card shows**, taken from the rows the page has just read (``stamp``):
  the object's key and change stamp, its title, the names of its place, its picture's files.

So a fragment needs no invalidation of its own: an edited work, a renamed corridor, a newly
processed picture make a different key, and the old fragment is never asked for again (it
expires after ``TIMEOUT``). A hidden work, a deactivated corridor, a cancelled activity are
no longer among the rows the page reads, so their cards are not shown at all. What decides
*which* cards a page shows stays a query on every render.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from common.pagecache import SITE, generations

# Raise when a fragment's template or stamp changes in a way the stamps do not show.
VERSION = 2
TIMEOUT = 7 * 24 * 3600


def _key(prefix: str, stamp) -> str:
    return "frag:" + hashlib.sha256((prefix + repr(stamp)).encode()).hexdigest()


def cached(name: str, items: Iterable, stamp: Callable, render: Callable[..., str]) -> list[SafeString]:
    """``render(item)`` for each item, from the cache when the same card was rendered before.

    ``stamp(item)`` returns a tuple of plain values (str, int, bool, None, dates) holding
    everything ``render(item)`` shows; ``render`` returns HTML (or text) that is safe as it is.
    One ``get_many`` for the whole list (after the site's generation), one ``set_many`` for the
    cards rendered now.
    """
    items = list(items)
    if not items:
        return []
    (site,) = generations([SITE])
    prefix = f"{name}\n{VERSION}\n{translation.get_language()}\n{timezone.get_current_timezone_name()}\n{site}\n"
    keys = [_key(prefix, stamp(item)) for item in items]
    found = cache.get_many(keys)
    rendered: dict[str, str] = {}
    result = []
    for key, item in zip(keys, items, strict=True):
        text = found.get(key)
        if text is None:
            text = rendered.get(key)
        if text is None:
            text = rendered[key] = str(render(item))
        result.append(mark_safe(text))  # noqa: S308 - rendered by our own templates, escaped there
    if rendered:
        cache.set_many(rendered, TIMEOUT)
    return result
