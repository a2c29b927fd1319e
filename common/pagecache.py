"""Anonymous public pages, rendered once and served from the shared cache.

A page wrapped in ``@public_page(depends=...)`` is kept in the cache (Redis on a real
install, so every app node shares it) under its address, language and text size, together
with the *generations* of what it shows: ``depends(request, *args, **kwargs)`` names them
as ``(kind, id)`` pairs, e.g. ``[("street", 3), ("group", 41)]``. When something a page
shows changes, the service that changed it calls ``bump("group", 41)``: the generation gets
a new random value (at once and again when the transaction commits), so every page keyed on it misses at
once, on every node, without anyone finding and deleting those pages. ``bump_all()``
retires every page (after a deployment: ``manage.py clear_page_cache``).

A page is stored once per address, language and text size, together with the generations
it was rendered under; a visit reads the page and the current generations in one
``get_many`` and serves the page only if they match. ``PageCacheMiddleware`` does that
before the session, locale, CSRF and authentication middleware (a stored page needs none of
them, and costs no database query); what it cannot answer goes on to the view, whose
decorator renders and stores it.

What visitors get:

- anonymous visitors: the cached copy, an ``ETag`` (``If-None-Match`` gets a 304) and
  ``Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE``; no session and no CSRF cookie
  (a page that sets a cookie, uses a CSRF token or has a message to show is not stored);
- signed-in people: the page rendered for them, ``Cache-Control: private, no-store``.

Every answer says ``Vary: Cookie, Accept-Language`` (the language, the text size and
signing in change the page) and ``X-Page-Cache: hit|miss|bypass`` (for people and tests).
"""

import functools
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, get_resolver
from django.utils import translation
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


def generations(dependencies: Iterable[tuple[str, object]], found: dict | None = None) -> list[str]:
    """The current generation of each dependency; a forgotten one (evicted, never set)
    gets a new value, so a page stored under the old one is never served again.
    ``found``: the generations already read (by the page's lookup), keyed as stored."""
    keys = [_generation_key(kind, ident) for kind, ident in dependencies]
    found = dict(found) if found is not None else cache.get_many(keys)
    for key in keys:
        if key not in found:
            fresh = uuid.uuid4().hex
            found[key] = fresh if cache.add(key, fresh, timeout=None) else (cache.get(key) or fresh)
    return [found[key] for key in keys]


def _is_anonymous(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # decided without reading a session
    return not request.user.is_authenticated


def _language(request) -> str:
    """The page's language as ``LocaleMiddleware`` will choose it (cookie, then
    ``Accept-Language``), found without activating it: a stored page needs no translation."""
    return translation.get_language_from_request(request)


def _page_key(request) -> str:
    """Where the page for this address, language and text size is stored (one entry per
    page: it carries the generations it was rendered under)."""
    parts = [
        request.method if request.method != "HEAD" else "GET",
        request.build_absolute_uri(),
        _language(request),
        request.COOKIES.get("text_size", ""),
    ]
    return "page:v2:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class PublicPage:
    """What ``@public_page`` says about a view (kept on the view as ``view.public_page``)."""

    depends: Dependencies | None
    timeout: int
    max_age: int | None

    def dependencies(self, request, args, kwargs) -> list[tuple[str, object]]:
        return [SITE, *(self.depends(request, *args, **kwargs) if self.depends else ())]


@dataclass
class Lookup:
    """One cache round trip for a page: its stored entry and its dependencies' generations.

    ``entry`` is ``(content, headers, etag)`` when the stored page was rendered under the
    generations that are current (a hit), else ``None``."""

    spec: PublicPage
    key: str
    dependencies: list[tuple[str, object]]
    found: dict
    entry: tuple | None


def lookup(request, spec: PublicPage, args=(), kwargs=None) -> Lookup:
    """Read the page and the generations it depends on in one ``get_many``."""
    dependencies = spec.dependencies(request, args, kwargs or {})
    generation_keys = [_generation_key(kind, ident) for kind, ident in dependencies]
    key = _page_key(request)
    found = cache.get_many([key, *generation_keys])
    stored = found.pop(key, None)
    entry = None
    if stored is not None and all(key in found for key in generation_keys):
        stored_generations, content, headers, etag = stored
        if stored_generations == [found[k] for k in generation_keys]:
            entry = (content, headers, etag)
    return Lookup(spec=spec, key=key, dependencies=dependencies, found=found, entry=entry)


def _stored_response(request, found: Lookup) -> HttpResponse:
    content, headers, etag = found.entry
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return _finish(request, response, "hit", etag, found.spec.max_age)


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
    ``bump`` retires the page; it runs on every request, before any other work (in
    ``PageCacheMiddleware``), so it must use only what the URL gives: no query. ``max_age``
    is how long browsers and shared caches may keep the page without asking
    (``PUBLIC_PAGE_MAX_AGE`` unless given; 0: ask every time, which the ETag makes a 304).
    """
    spec = PublicPage(depends=depends, timeout=timeout, max_age=max_age)

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

            # The middleware looked the page up already (and found it missing or old),
            # unless the visitor carries a session cookie (read only now) or the
            # middleware is not installed.
            found = getattr(request, "_page_lookup", None)
            if found is None or found.spec is not spec:
                found = lookup(request, spec, args, kwargs)
            if found.entry is not None:
                return _stored_response(request, found)

            # Read before rendering: a bump while this page renders makes it stale at once.
            current = generations(found.dependencies, found.found)
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
                response.render()
            if not _storable(request, response):
                patch_cache_control(response, private=True, no_store=True)
                return _finish(request, response, "bypass", None)
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            headers = {name: response[name] for name in _STORED_HEADERS if name in response}
            cache.set(found.key, (current, response.content, headers, etag), timeout)
            return _finish(request, response, "miss", etag, max_age)

        wrapper.public_page = spec
        return wrapper

    return decorator


# --- Served before the rest of the middleware ------------------------------------------------


_REMEMBERED_PATH_LENGTH = 200


@functools.lru_cache(maxsize=4096)
def _public_view(urlconf: str, path: str):
    """``(spec, args, kwargs)`` when ``path`` is a public page, else ``None`` (remembered
    per address, so other requests pay one dictionary look-up, not a second URL resolution)."""
    try:
        match = get_resolver(urlconf).resolve(path)
    except Resolver404:
        return None
    spec = getattr(match.func, "public_page", None)
    return (spec, match.args, match.kwargs) if spec is not None else None


@receiver(setting_changed)
def _forget_views(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _public_view.cache_clear()


class PageCacheMiddleware:
    """Answer an anonymous visitor's public page from the cache before the session,
    locale, CSRF, authentication and later middleware run (a stored page needs none of
    them): one ``get_many`` and no database query.

    Sits after ``RequestIDMiddleware``, ``SecurityMiddleware`` (HTTPS redirect, HSTS and the
    other security headers) and WhiteNoise, and adds to a stored page what the middleware it
    skips would have added: ``Content-Language`` and ``Vary: Accept-Language`` (locale),
    ``X-Frame-Options``, the Content-Security-Policy and ``Content-Length``. A visitor with a
    session cookie (perhaps signed in) or a message waiting, a page that is missing or old,
    and every other address go through the whole stack as usual; the view's decorator then
    reuses this lookup.
    """

    def __init__(self, get_response):
        from common.middleware import content_security_policy

        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        ):
            urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
            path = request.path_info
            # Long addresses (no public page has one) are not remembered: a visitor sending
            # many could otherwise fill the memory of every worker.
            resolve = _public_view if len(path) <= _REMEMBERED_PATH_LENGTH else _public_view.__wrapped__
            target = resolve(urlconf, path)
            if target is not None:
                spec, args, kwargs = target
                found = lookup(request, spec, args, kwargs)
                if found.entry is not None:
                    return self._as_the_stack_would(request, _stored_response(request, found))
                request._page_lookup = found
        return self.get_response(request)

    def _as_the_stack_would(self, request, response: HttpResponse) -> HttpResponse:
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", _language(request))
        response.headers.setdefault("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper())
        response.headers.setdefault("Content-Security-Policy", self.policy)
        if not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response
