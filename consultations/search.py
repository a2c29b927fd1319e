"""The consultations part of the site-wide search: requests the user may see."""

from django.utils.translation import gettext as _

from consultations.selectors import requests_for_user
from corridors.views.search import search_section


def staff_search(user, q: str) -> list[dict]:
    requests = requests_for_user(user).select_related(None).select_related("compound")
    return [
        search_section(
            _("Requests"),
            requests,
            q,
            lambda r: (f"#{r.pk} {r.title}", r.get_absolute_url(), r.compound.name),
        )
    ]
