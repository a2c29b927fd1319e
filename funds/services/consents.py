"""Each unit's consent: a new history row per visit, the unit's current answer kept beside it."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from corridors.models import User
from funds.models import ConsentReason, ConsentRecord, ConsentStatus, Unit
from funds.selectors import require_campaign_role


@transaction.atomic
def unit_record_consent(
    *,
    unit: Unit,
    status: str,
    recorded_by: User,
    reason: str = "",
    note: str = "",
    scan: tuple[str, ContentFile] | None = None,
) -> ConsentRecord:
    """Record a unit's consent: a new history row, and the unit's current status updated."""
    # Two volunteers recording the same unit at once: the lock orders them; the last wins, both stay in history.
    locked = (
        Unit.objects.select_for_update(of=("self",))
        .select_related("campaign__building__compound__neighbourhood")
        .get(pk=unit.pk)
    )
    require_campaign_role(recorded_by, locked.campaign, "record_consent")
    status = ConsentStatus(status)
    if reason:
        reason = ConsentReason(reason)
    now = timezone.now()
    record = ConsentRecord(
        unit=locked,
        previous_status=locked.consent_status,
        status=status,
        reason=reason,
        note=note.strip(),
        recorded_by=recorded_by,
        recorded_at=now,
    )
    if scan:
        kind, content = scan
        record.scan_kind = kind
        record.scan.save(content.name, content, save=False)
    record.full_clean(exclude=["scan"])
    record.save()
    locked.consent_status, locked.consent_reason, locked.consent_updated_at = status, reason, now
    locked.save(update_fields=["consent_status", "consent_reason", "consent_updated_at"])
    unit.consent_status, unit.consent_reason, unit.consent_updated_at = status, reason, now
    return record
