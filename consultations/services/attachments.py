"""Photos and scans brought with a request (private files, opened through a checked view)."""

from django.db import transaction
from django.utils.translation import gettext as _

from common.refusals import Refused
from consultations.models import Attachment, ConsultationRequest
from consultations.selectors import FILE_ROLES, request_roles
from consultations.services.requests import lock_request
from consultations.workflows.request import OPEN_STATES, RequestState
from corridors.images import receipt_later
from corridors.models import User


@transaction.atomic
def attachment_add(*, actor: User, request: ConsultationRequest, kind: str, content) -> Attachment:
    """Add a photo or scan to a request that is not closed, by anyone who may act on it."""
    locked = lock_request(request)
    if not request_roles(actor, locked) & FILE_ROLES:
        raise Refused(_("You may not add files to this request."))
    if locked.state not in OPEN_STATES | {RequestState.RESOLVED}:
        raise Refused(_("This request is closed."))
    attachment = Attachment.objects.create(request=locked, kind=kind, file=content, uploaded_by=actor)
    # A picture is stored as uploaded; the worker re-encodes it without metadata.
    receipt_later(attachment, kind=kind)
    return attachment
