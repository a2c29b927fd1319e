"""Small request helpers every app's views share."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str = "/", *, use_referer: bool = False) -> str:
    """Where to go after a POST: ``next`` (POST, then GET) when it stays on this site, else ``fallback``.

    ``use_referer`` also accepts the page the request came from (the language and text-size
    switches, which return the visitor to the page they were reading).
    """
    candidates = [request.POST.get("next"), request.GET.get("next")]
    if use_referer:
        candidates.append(request.headers.get("referer"))
    for target in candidates:
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
    return fallback


def address_maker(name: str):
    """``pk -> address`` of the URL ``name`` that takes one pk, reversed once: a list of a
    hundred links is one ``reverse()``, not a hundred."""
    from django.urls import reverse

    placeholder = 2**31 - 1
    head, _sep, tail = reverse(name, args=[placeholder]).partition(str(placeholder))
    return lambda pk: f"{head}{int(pk)}{tail}"
