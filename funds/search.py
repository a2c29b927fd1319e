"""The funds part of the site-wide search: campaigns and units the user may see."""

from django.utils.translation import gettext as _

from corridors.views.search import search_section
from funds.models import Unit
from funds.selectors import campaigns_for_user


def staff_search(user, q: str) -> list[dict]:
    campaigns = campaigns_for_user(user)
    return [
        search_section(
            _("Maintenance-fund campaigns"),
            campaigns.select_related("building__compound"),
            q,
            lambda c: (f"#{c.pk} {c.purpose}", c.get_absolute_url(), str(c.building)),
        ),
        # Units by their number only: an owner's name is personal data, never a search key here.
        search_section(
            _("Units"),
            Unit.objects.filter(campaign__in=campaigns.values("pk")).select_related("campaign__building__compound"),
            q,
            lambda u: (f"{u.campaign.building} {u.label}", u.get_absolute_url(), u.campaign.purpose),
            by_number=False,
        ),
    ]
