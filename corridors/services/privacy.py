"""Revealing personal data on purpose: the one way a row gets into ``PersonalDataAccess``."""

from django.db import models, transaction
from django.utils.translation import gettext as _

from common.refusals import Refused
from corridors.models import PersonalDataAccess, User

MIN_PURPOSE = 4  # characters: "查看" alone says nothing


@transaction.atomic
def personal_data_reveal(
    *,
    actor: User,
    subject: models.Model | None,
    subject_label: str,
    fields: list[str],
    purpose: str,
    kind: str = PersonalDataAccess.Kind.REVEAL,
    rows: int = 1,
) -> PersonalDataAccess:
    """Record that ``actor`` sees ``fields`` of ``subject`` (or exports ``rows`` rows) unmasked.

    Whether the actor may reveal is the calling app's decision (its roles); this records it,
    and refuses without a purpose. The caller shows the data only after this returned.
    ``subject`` is ``None`` for a search across records (one person's data on request): the
    label then says whom, masked.
    """
    purpose = " ".join((purpose or "").split())
    if len(purpose) < MIN_PURPOSE:
        raise Refused(
            _("Please state the purpose (at least %(count)s characters): it is recorded.") % {"count": MIN_PURPOSE},
            field="purpose",
        )
    return PersonalDataAccess.objects.create(
        actor=actor,
        kind=kind,
        subject_type=subject._meta.label_lower if subject is not None else "person",
        subject_id=subject.pk if subject is not None else 0,
        subject_label=subject_label[:200],
        fields=list(fields),
        rows=rows,
        purpose=purpose[:300],
    )
