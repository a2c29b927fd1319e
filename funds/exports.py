"""The rows of the funds exports, built in one place with the owner masked unless a recorded
reveal asked for the full list (so a page, a job queue or a command gets the same rows)."""

from django.utils.translation import gettext as _

from funds.models import Campaign, Unit


def outstanding_units(campaign: Campaign) -> list[Unit]:
    """Units that have not paid their due in full, by floor (the collector's visit list)."""
    units = []
    for unit in campaign.units.order_by("floor", "label"):
        unit.campaign = campaign
        if unit.paid_total < unit.due:
            units.append(unit)
    return units


def outstanding_headers() -> list[str]:
    return [_("Floor"), _("Unit"), _("Owner"), _("Phone"), _("Due"), _("Paid"), _("Outstanding")]


def outstanding_rows(units: list[Unit], *, unmasked: bool = False) -> list[list]:
    """One row per unit; the owner masked (张*, 138****1234) unless ``unmasked`` (a full export,
    which only ``funds.services.privacy.outstanding_export_full`` asks for, after recording it)."""
    return [
        [
            u.floor,
            u.label,
            u.owner_name if unmasked else u.shown_name,
            u.owner_phone if unmasked else u.shown_phone,
            u.due,
            u.paid_total,
            u.outstanding,
        ]
        for u in units
    ]
