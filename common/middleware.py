"""Site-wide middleware: request ids, the client's address behind proxies, and a strict
Content-Security-Policy."""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

# --- Request ids -------------------------------------------------------------------------

# nginx sends its $request_id; anything else that looks like an id is kept too (a load
# balancer's), anything odd is replaced so a log line cannot be forged through it.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_request_id = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


class RequestIDMiddleware:
    """Give every request an id: nginx's ``X-Request-ID`` or a new one.

    The id is on the response (``X-Request-ID``, which gunicorn's access log prints) and in
    every log line written while the request is served, so one request can be followed
    from nginx's log through gunicorn's to the app's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID_PATTERN.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        if settings.NODE_NAME:
            response["X-Served-By"] = settings.NODE_NAME
        return response


class RequestIDLogFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


# --- The client's address ----------------------------------------------------------------


def client_ip(request) -> str:
    """The visitor's address as the last of ``PROXY_COUNT`` trusted proxies saw it.

    Each proxy appends the address it was reached from to ``X-Forwarded-For``, so with N
    proxies the client is the N-th entry from the right; anything left of it was written by
    the client and is ignored. With no proxy, the socket's address. (The login throttle
    locks a username per client address, so this must not be spoofable.)
    """
    count = settings.PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]


# --- Content-Security-Policy ----------------------------------------------------------------


def content_security_policy() -> str:
    images = " ".join(["'self'", "data:", *settings.MEDIA_ORIGINS])
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src {images}",
            "script-src 'self'",
            "style-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    """Every script and style comes from our own origin; pictures also from the object
    store when media live there."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        # Django's admin uses a few inline styles of its own; our pages use none.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


# --- Nothing personal kept on the way -------------------------------------------------------


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every answer to someone signed in, and on every
    download (an .xlsx export, a receipt), so no browser cache or proxy keeps personal data.

    Anonymous public pages keep what ``common.pagecache`` gave them (``public``, an ETag);
    static files never reach this middleware (WhiteNoise answers before it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").startswith("attachment")
        said = {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}
        if (signed_in or download) and not {"private", "no-store"} <= said:
            # Whatever the view said: Django's never_cache set, which says private and no-store.
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
