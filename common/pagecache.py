"""Anonymous public pages, rendered once and served from the shared cache.

A page wrapped in ``@public_page(depends=...)`` is kept in the cache (Redis on a real
install, so every app node shares it) under its address, language and text size, together
with the *generations* of what it shows: ``depends(request, *args, **kwargs)`` names them
as ``(kind, id)`` pairs, e.g. ``[("street", 3), ("group", 41)]``. When something a page
shows changes, the service that changed it calls ``bump("group", 41)``: the generation gets
a new random value (at once and again when the transaction commits), so every page keyed on it misses at
once, on every node, without anyone finding and deleting those pages. ``bump_all()``
retires every page (after a deployment: ``manage.py clear_page_cache``).

What visitors get:

- anonymous visitors: the cached copy, an ``ETag`` (``If-None-Match`` gets a 304) and
  ``Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE``; no session and no CSRF cookie
  (a page that sets a cookie, uses a CSRF token or has a message to show is not stored);
- signed-in people: the page rendered for them, ``Cache-Control: private, no-store``.

Every answer says ``Vary: Cookie, Accept-Language`` (the language, the text size and
signing in change the page) and ``X-Page-Cache: hit|miss|bypass`` (for people and tests).
"""

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

log = logging.getLogger(__name__)

SITE = ("site", 0)
# Headers a view sets that belong to the page (the middleware adds the rest each time).
_STORED_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "X-Robots-Tag")

Dependencies = Callable[..., Iterable[tuple[str, object]]]


def _generation_key(kind: str, ident) -> str:
    return f"pagegen:{kind}:{ident}"


def bump(kind: str, *ids) -> None:
    """Retire every cached page that shows ``kind`` ``id`` (on every node).

    Done twice: at once (the writer's own next page, read inside its transaction, is
    fresh) and again when the transaction commits (a page another visitor had rendered in
    between from the old rows would otherwise stay stored under the new generation).
    Outside a transaction both happen at once.
    """
    keys = [_generation_key(kind, ident) for ident in ids]
    if not keys:
        return

    def write():
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)

    write()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(write)


def bump_all() -> None:
    bump(*SITE)


def generations(dependencies: Iterable[tuple[str, object]]) -> list[str]:
    """The current generation of each dependency; a forgotten one (evicted, never set)
    gets a new value, so a page stored under the old one is never served again."""
    keys = [_generation_key(kind, ident) for kind, ident in dependencies]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            fresh = uuid.uuid4().hex
            found[key] = fresh if cache.add(key, fresh, timeout=None) else (cache.get(key) or fresh)
    return [found[key] for key in keys]


def _is_anonymous(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # decided without reading a session
    return not request.user.is_authenticated


def _page_key(request, dependencies: list[tuple[str, object]]) -> str:
    parts = [
        request.method if request.method != "HEAD" else "GET",
        request.build_absolute_uri(),
        getattr(request, "LANGUAGE_CODE", ""),
        request.COOKIES.get("text_size", ""),
        *generations([SITE, *dependencies]),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # The page holds a CSRF token (a form): it belongs to one visitor.
        log.warning("Not caching %s: it uses a CSRF token", request.path)
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _finish(request, response: HttpResponse, state: str, etag: str | None, max_age: int | None = None) -> HttpResponse:
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    response["X-Page-Cache"] = state
    if etag:
        response["ETag"] = etag
        max_age = settings.PUBLIC_PAGE_MAX_AGE if max_age is None else max_age
        if max_age:
            patch_cache_control(response, public=True, max_age=max_age)
        else:
            # Kept, but asked for again on every view (a 304 when unchanged): a hidden
            # work must not linger in a browser's cache.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return get_conditional_response(request, etag=etag, response=response) or response
    return response


def public_page(depends: Dependencies | None = None, *, timeout: int = 3600, max_age: int | None = None):
    """Cache a public page for anonymous visitors (see the module's docstring).

    ``depends(request, *args, **kwargs)`` returns the ``(kind, id)`` pairs whose
    ``bump`` retires the page; it runs on every request, so keep it to what the URL gives
    or one cheap query. ``max_age`` is how long browsers and shared caches may keep the
    page without asking (``PUBLIC_PAGE_MAX_AGE`` unless given; 0: ask every time, which the
    ETag makes a 304).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if not _is_anonymous(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_store=True)
                return _finish(request, response, "bypass", None)
            if "messages" in request.COOKIES:
                # A message waits to be shown once: render for this visitor, keep nothing.
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_store=True)
                return _finish(request, response, "bypass", None)

            key = _page_key(request, list(depends(request, *args, **kwargs)) if depends else [])
            entry = cache.get(key)
            if entry is not None:
                content, headers, etag = entry
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                return _finish(request, response, "hit", etag, max_age)

            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
                response.render()
            if not _storable(request, response):
                patch_cache_control(response, private=True, no_store=True)
                return _finish(request, response, "bypass", None)
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            headers = {name: response[name] for name in _STORED_HEADERS if name in response}
            cache.set(key, (response.content, headers, etag), timeout)
            return _finish(request, response, "miss", etag, max_age)

        return wrapper

    return decorator
