"""District (区) and city (市) users read and never write: the server refuses their changes.

Every permission in the apps' ``rules.py`` already leaves them out (their scope's
``viewer_streets`` are never a writing role). This middleware is the second line, for an
account that is *only* a district or city user: any POST outside their own account
(signing in and out, password, second factor, the text size and language, their inbox) is
a 403 whose page says why, before a view runs. An account that is also street staff, a
committee member… is decided by the rules alone, street by street.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from corridors.selectors import scope_of

# POSTs about the reader's own account or preferences, not about street data.
OWN_ACCOUNT_URLS = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "second_factor",
        "second_factor_enrol",
        "recovery_codes",
        "text_size",
        "set_language",
        "inbox:open",
        "inbox:read_all",
        "inbox:preferences",
    }
)


def is_read_only_user(user) -> bool:
    """A district or city user holding no street role: they may change no street data at all."""
    if not user.is_authenticated or user.is_superuser:
        return False
    scope = scope_of(user)
    return bool(scope.viewer_streets) and not scope.roles


def read_only_refusal() -> PermissionDenied:
    return PermissionDenied(
        _("District and city users read their streets' pages and exports; they change nothing there.")
    )


class ReadOnlyOversightMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OWN_ACCOUNT_URLS:
            return None
        if is_read_only_user(request.user):
            raise read_only_refusal()
        return None
