"""A form that creates something creates it once, however often it is sent.

A double tap, a slow phone sending again, the back button and "resend": each would otherwise
file a second request or announce the activity twice. A create form carries a one-time token
(``{% submit_once %}`` in ``{% load common %}``: a hidden ``_once`` field). The first POST
with a token claims it in the shared cache (Redis on a real install, so every app node sees
the claim); if that POST ends in a redirect, the redirect's address is kept under the token.
The same token sent again:

- after the first one finished: the same redirect, with a note that it was already saved;
- while the first one is still running: a page that says so (409), nothing done;

A POST that ends in anything else (a form with errors) frees the token, so the corrected
form can be sent. Forms without a token are not touched.
"""

import re
import uuid

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

FIELD = "_once"
TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")
PENDING = "pending"
KEEP_SECONDS = 24 * 3600


def new_token() -> str:
    return uuid.uuid4().hex


def _key(request, token: str) -> str:
    user = getattr(request, "user", None)
    who = user.pk if user is not None and user.is_authenticated else request.session.session_key or "anon"
    return f"once:{who}:{token}"


class SubmitOnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not TOKEN_PATTERN.match(token):
            return self.get_response(request)
        key = _key(request, token)
        if not cache.add(key, PENDING, timeout=KEEP_SECONDS):
            return self._repeated(request, cache.get(key))
        try:
            response = self.get_response(request)
        except BaseException:
            cache.delete(key)
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            cache.set(key, response["Location"], timeout=KEEP_SECONDS)
        else:
            cache.delete(key)
        return response

    @staticmethod
    def _repeated(request, outcome):
        if outcome and outcome != PENDING:
            messages.info(request, _("This form was already sent and saved; it was not saved a second time."))
            return HttpResponseRedirect(outcome)
        return render(request, "409.html", status=409)
