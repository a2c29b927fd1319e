"""个人信息保护法 housekeeping across the apps: one person's data on request, and anonymising
what has been kept long enough.

Each app knows its own records; corridors asks them through AppConfig hooks (it imports
neither funds nor consultations):

- ``person_records(person) -> list[Record]``: every record of the app about the person
  (``PersonQuery``: a name and/or a phone number);
- ``anonymise_expired(now) -> dict[str, int]``: anonymise what is past its retention period
  (``settings.RETENTION_DAYS``), returning how many records of each kind it changed.

``anonymise_expired`` here is the plain function the scheduled job calls (and
``manage.py anonymise_expired``).
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.hooks import call_hooks, call_hooks_flat

ANONYMOUS = "（已匿名）"


@dataclass(frozen=True)
class PersonQuery:
    name: str = ""
    phone: str = ""
    # The streets whose records may be searched (street staff: their own); None: every street.
    streets: frozenset | None = None

    def in_streets(self, queryset, path: str):
        """``queryset`` limited to the searcher's streets (``path`` leads from the row to its street id)."""
        return queryset if self.streets is None else queryset.filter(**{f"{path}__in": self.streets})

    @property
    def phone_digits(self) -> str:
        return re.sub(r"\D", "", self.phone)

    def text_filter(self, *fields: str) -> Q:
        """Rows whose free text (``fields``) mentions the name or the phone number."""
        condition = Q(pk__in=[])
        for field in fields:
            if self.name:
                condition |= Q(**{f"{field}__contains": self.name})
            if self.phone_digits:
                condition |= Q(**{f"{field}__contains": self.phone_digits})
        return condition

    def field_filter(self, name_field: str | None, phone_field: str | None) -> Q:
        """Rows whose name or phone field is the person's."""
        condition = Q(pk__in=[])
        if self.name and name_field:
            condition |= Q(**{name_field: self.name})
        if self.phone_digits and phone_field:
            condition |= Q(**{f"{phone_field}__contains": self.phone_digits})
        return condition


@dataclass(frozen=True)
class Record:
    kind: str
    reference: str
    when: object
    details: str


def person_records(person: PersonQuery) -> list[Record]:
    """Every record of every app about ``person``, corridors' own first."""
    return call_hooks_flat("person_records", person)


def corridors_person_records(person: PersonQuery) -> list[Record]:
    from corridors.models import ActivitySignup, GalleryWork, User

    accounts = person.in_streets(User.objects.filter(person.field_filter("full_name", "phone")), "roles__street_id")
    records = [
        Record(
            _("Account"),
            user.username,
            user.date_joined,
            " · ".join(part for part in (user.full_name, user.phone, user.email) if part),
        )
        for user in accounts.distinct().order_by("pk")
    ]
    works = GalleryWork.objects.filter(person.field_filter("author_name", None) | person.text_filter("text", "title"))
    works = person.in_streets(works, "group__building__compound__neighbourhood__street_id")
    records += [
        Record(_("Gallery work"), f"#{work.pk}", work.created_at, f"{work.title} · {work.author_name}")
        for work in works.order_by("pk")
    ]
    signups = ActivitySignup.objects.filter(person.field_filter("name", "phone")).select_related("activity")
    signups = person.in_streets(signups, "activity__group__building__compound__neighbourhood__street_id")
    records += [
        Record(
            _("Activity sign-up"),
            f"#{signup.pk}",
            signup.created_at,
            f"{signup.activity.title} · {signup.name} · {signup.phone} · {signup.get_status_display()}",
        )
        for signup in signups.order_by("pk")
    ]
    return records


@transaction.atomic
def anonymise_expired(now=None) -> dict[str, int]:
    """Anonymise every record past its retention period, in every app; returns counts by kind.

    Safe to run again (what is anonymised is not touched twice); the money log is never changed.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for answer in call_hooks("anonymise_expired", now):
        counts.update(answer)
    return counts
