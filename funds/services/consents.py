"""Each unit's consent: a new history row per change, the unit's current answer kept beside it.

A recorded fact is never changed by a default: the form opens on the unit's current answer,
resubmitting it untouched changes nothing, and changing a recorded vote (agree, refuse,
abstain) needs a confirmation and the reason, kept in the history row.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.refusals import Refused
from corridors.images import receipt_later
from corridors.models import User
from funds.models import ConsentReason, ConsentRecord, ConsentStatus, Unit
from funds.models.consents import VOTES
from funds.selectors import require_campaign_role
from funds.services.tallies import UnitState, campaign_tally_unit_changed


@transaction.atomic
def unit_record_consent(
    *,
    unit: Unit,
    status: str,
    recorded_by: User,
    reason: str = "",
    note: str = "",
    scan: tuple[str, ContentFile] | None = None,
    expected_status: str | None = None,
    change_reason: str = "",
    confirmed: bool = False,
) -> ConsentRecord | None:
    """Record a unit's consent: a new history row, and the unit's current status updated.

    Returns None, writing nothing, when the answer, its reason and the note are what is
    already recorded (a resubmitted or untouched form). ``expected_status`` is the answer
    the page showed: if it changed meanwhile the write is refused (stale page). Changing
    a recorded vote to anything else needs ``confirmed`` and a ``change_reason``.
    """
    # Two volunteers recording the same unit at once: the lock orders them; the second sees the first.
    locked = (
        Unit.objects.select_for_update(of=("self",))
        .select_related("campaign__building__compound__neighbourhood")
        .get(pk=unit.pk)
    )
    require_campaign_role(recorded_by, locked.campaign, "record_consent")
    status = ConsentStatus(status)
    reason = ConsentReason(reason) if reason else ""
    note, change_reason = note.strip(), change_reason.strip()
    latest = locked.consents.order_by("-recorded_at", "-pk").first()
    if (
        status == locked.consent_status
        and reason == locked.consent_reason
        and not scan
        and note in ("", latest.note if latest else "")
    ):
        return None
    if expected_status and expected_status != locked.consent_status:
        raise Refused(
            _(
                "Meanwhile someone recorded “%(now)s” for unit %(unit)s; nothing was changed. "
                "Please check and try again."
            )
            % {"now": locked.get_consent_status_display(), "unit": locked.label}
        )
    if locked.consent_status in VOTES and status != locked.consent_status:
        if not confirmed or not change_reason:
            raise Refused(
                _(
                    "Unit %(unit)s has a recorded answer, “%(now)s”. To change it to “%(new)s”, confirm the change "
                    "and give the reason."
                )
                % {"unit": locked.label, "now": locked.get_consent_status_display(), "new": status.label},
                field="change_reason",
            )
    else:
        change_reason = ""
    before = UnitState.of(locked)
    now = timezone.now()
    record = ConsentRecord(
        unit=locked,
        previous_status=locked.consent_status,
        status=status,
        reason=reason,
        note=note,
        change_reason=change_reason,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    if scan:
        kind, content = scan
        record.scan_kind = kind
        record.scan.save(content.name or "scan", content, save=False)
    record.full_clean(exclude=["scan"])
    record.save()
    if scan:
        receipt_later(record, kind=record.scan_kind, field="scan")
    locked.consent_status, locked.consent_reason, locked.consent_updated_at = status, reason, now
    locked.save(update_fields=["consent_status", "consent_reason", "consent_updated_at"])
    campaign_tally_unit_changed(unit=locked, before=before)
    unit.consent_status, unit.consent_reason, unit.consent_updated_at = status, reason, now
    return record
