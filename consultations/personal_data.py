"""Consultations' part of 个人信息保护法 housekeeping (corridors.personal_data): the records about
one person, and closed requests anonymised after ``RETENTION_DAYS["resolved_requests"]``."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from common.uploads import delete_files_on_commit
from consultations.anonymise import anonymise
from consultations.models import Attachment, ConsultationRequest, RequestEvent
from consultations.workflows.request import CLOSED_STATES
from corridors.models import User
from corridors.personal_data import ANONYMOUS, PersonQuery, Record


def person_records(person: PersonQuery) -> list[Record]:
    users = User.objects.filter(person.field_filter("full_name", "phone"))
    mentioned = person.text_filter("title", "text", "resolution", "public_summary", "decline_reason")
    requests = ConsultationRequest.objects.filter(
        Q(representative__in=users) | Q(registered_by__in=users) | Q(assigned_officer__in=users) | mentioned
    ).select_related("representative", "department")
    requests = person.in_streets(requests, "neighbourhood__street_id")
    return [
        Record(
            _("Consultation request"),
            f"#{r.pk}",
            r.created_at,
            f"{r.get_state_display()} · {r.department} · {r.representative.full_name} · {r.title} · {r.text}",
        )
        for r in requests.order_by("pk")
    ]


def anonymise_expired(now: datetime.datetime) -> dict[str, int]:
    """Closed requests older than their retention period keep their category, place, department,
    dates and public summary; the residents' words, names in the response and the attachments go."""
    cutoff = now - datetime.timedelta(days=settings.RETENTION_DAYS["resolved_requests"])
    expired = (
        ConsultationRequest.objects.filter(state__in=sorted(CLOSED_STATES))
        .annotate(ended=Coalesce("closed_at", "resolved_at", "updated_at"))
        .filter(ended__lt=cutoff)
        .exclude(text=ANONYMOUS)
        .select_related("representative", "registered_by", "assigned_officer")
        .select_for_update(of=("self",))
    )
    done = 0
    for request in expired:
        names = [p.full_name for p in (request.representative, request.registered_by, request.assigned_officer) if p]
        request.title = anonymise(request.title, names)[: ConsultationRequest._meta.get_field("title").max_length]
        request.text = ANONYMOUS
        request.resolution = anonymise(request.resolution, names)
        request.decline_reason = anonymise(request.decline_reason, names)
        request.save(update_fields=["title", "text", "resolution", "decline_reason"])
        for event in RequestEvent.objects.filter(request=request).exclude(note=""):
            RequestEvent.objects.filter(pk=event.pk).update(note=anonymise(event.note, names))
        attachments = list(Attachment.objects.filter(request=request))
        delete_files_on_commit(*(a.file for a in attachments))
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
        done += 1
    return {"consultation_requests": done}
