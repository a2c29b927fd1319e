"""Funds' part of 个人信息保护法 housekeeping (corridors.personal_data): the records about one
owner, and the owners of finished campaigns anonymised after
``RETENTION_DAYS["campaign_owners"]``.

A campaign counts as finished when nothing has happened in it (no consent, payment or
correction recorded) for that long. Its roll keeps every figure (areas, consents, payments,
the decision and who paid how much of what was due) but not who the owners were; owners of
several units stay one head. The money log (``MoneyEvent``) and payments are never changed.
"""

import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.uploads import delete_files_on_commit
from corridors.personal_data import ANONYMOUS, PersonQuery, Record
from funds.models import Campaign, ConsentRecord, Payment, Unit, UnitChange

PERSONAL_UNIT_FIELDS = ("owner_name", "owner_phone", "owner_key")


def person_records(person: PersonQuery) -> list[Record]:
    units = Unit.objects.filter(person.field_filter("owner_name", "owner_phone")).select_related("campaign__building")
    units = list(person.in_streets(units, "campaign__building__compound__neighbourhood__street_id"))
    records = [
        Record(
            _("Owner on a campaign roll"),
            f"{unit.campaign.building} {unit.label}",
            unit.campaign.created_at,
            f"{unit.owner_name} · {unit.owner_phone} · {unit.area_m2} m² · {unit.get_consent_status_display()}",
        )
        for unit in units
    ]
    for consent in ConsentRecord.objects.filter(unit__in=units).select_related("unit").order_by("pk"):
        records.append(
            Record(
                _("Consent recorded"),
                consent.unit.label,
                consent.recorded_at,
                f"{consent.get_status_display()} {consent.get_reason_display()} {consent.note}".strip(),
            )
        )
    for payment in Payment.objects.filter(unit__in=units).select_related("unit").order_by("pk"):
        records.append(
            Record(_("Payment"), payment.unit.label, payment.paid_on, f"{payment.amount} · {payment.note}".strip(" ·"))
        )
    return records


def _last_activity(campaign: Campaign) -> datetime.datetime:
    last_paid = Payment.objects.filter(unit__campaign=campaign).aggregate(m=Max("paid_on"))["m"]
    moments = [
        campaign.created_at,
        ConsentRecord.objects.filter(unit__campaign=campaign).aggregate(m=Max("recorded_at"))["m"],
        # The day the money was paid (payments are immutable, so this is what they say).
        timezone.make_aware(datetime.datetime.combine(last_paid, datetime.time.max)) if last_paid else None,
        UnitChange.objects.filter(unit__campaign=campaign).aggregate(m=Max("changed_at"))["m"],
    ]
    return max(moment for moment in moments if moment is not None)


def anonymise_expired(now: datetime.datetime) -> dict[str, int]:
    cutoff = now - datetime.timedelta(days=settings.RETENTION_DAYS["campaign_owners"])
    units_done = 0
    for campaign in Campaign.objects.filter(units__owner_name__gt="").exclude(units__owner_name=ANONYMOUS).distinct():
        if _last_activity(campaign) >= cutoff:
            continue
        # Two runs at once: the second waits here and then finds nothing left to do.
        units = list(Unit.objects.select_for_update().filter(campaign=campaign).order_by("pk"))
        heads: dict[str, str] = {}
        for unit in units:
            heads.setdefault(unit.owner_key, f"owner-{len(heads) + 1}")
            unit.owner_name, unit.owner_phone, unit.owner_key = ANONYMOUS, "", heads[unit.owner_key]
        Unit.objects.bulk_update(units, list(PERSONAL_UNIT_FIELDS))
        for change in UnitChange.objects.filter(unit__campaign=campaign):
            cleaned = {
                field: [ANONYMOUS, ANONYMOUS] if field in PERSONAL_UNIT_FIELDS else values
                for field, values in change.changes.items()
            }
            UnitChange.objects.filter(pk=change.pk).update(changes=cleaned)
        consents = list(ConsentRecord.objects.filter(unit__campaign=campaign))
        delete_files_on_commit(*(c.scan for c in consents if c.scan))
        ConsentRecord.objects.filter(pk__in=[c.pk for c in consents]).update(note="", scan="", scan_kind="")
        units_done += len(units)
    return {"campaign_owners": units_done}
