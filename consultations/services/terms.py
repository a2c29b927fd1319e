"""Representatives' terms (届): the street office records who serves which neighbourhood when."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from common.refusals import Refused
from consultations.models import RepresentativeTerm
from consultations.services.roles import require_representative_of
from corridors.models import Neighbourhood, User
from corridors.selectors import require_street_staff


@transaction.atomic
def representative_term_add(
    *,
    actor: User,
    representative: User,
    neighbourhood: Neighbourhood,
    term: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> RepresentativeTerm:
    """Record the term (e.g. 第四届) a representative of the neighbourhood serves."""
    require_street_staff(actor, neighbourhood.street_id)
    require_representative_of(representative, neighbourhood)
    if ends_on <= starts_on:
        raise Refused(_("A term ends after it starts."))
    term = term.strip()
    if RepresentativeTerm.objects.filter(
        representative=representative, neighbourhood=neighbourhood, term=term
    ).exists():
        raise Refused(_("This term is already recorded."))
    return RepresentativeTerm.objects.create(
        representative=representative, neighbourhood=neighbourhood, term=term, starts_on=starts_on, ends_on=ends_on
    )
