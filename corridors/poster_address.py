"""Whether ``SITE_URL`` can go on a poster glued to a corridor wall.

A QR code of a loopback or private address (the default ``http://127.0.0.1:8000``), or of a
host the site does not answer to (not in ``ALLOWED_HOSTS``), is a dead code that nobody can
fix once printed. ``poster_address_problem`` says what is wrong, or ``None``;
``POSTER_ALLOW_LOCAL_ADDRESS`` (tests, a demo on one laptop) lets a local address through.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.utils.translation import gettext as _


def _is_local(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost") or host.endswith(".local"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a bare machine name is reached only on its own network
    return not address.is_global


def poster_address_problem(site_url: str | None = None) -> str | None:
    """What is wrong with ``SITE_URL`` for a poster (a sentence for staff), or ``None``."""
    site_url = settings.SITE_URL if site_url is None else site_url
    parts = urlsplit(site_url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return _("SITE_URL (%(url)s) is not a full web address.") % {"url": site_url}
    if _is_local(host) and not getattr(settings, "POSTER_ALLOW_LOCAL_ADDRESS", False):
        return _(
            "SITE_URL is %(url)s, an address that only this computer or its local network can open: "
            "residents' phones could not open the QR code."
        ) % {"url": site_url}
    if not validate_host(host, settings.ALLOWED_HOSTS):
        return _(
            "SITE_URL is %(url)s, but the site does not answer to %(host)s (it is not in ALLOWED_HOSTS): "
            "the QR code would lead nowhere."
        ) % {"url": site_url, "host": host}
    return None
