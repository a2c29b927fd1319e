"""Signing up for an activity and cancelling, with the waiting list (``ActivitySignup``).

Each write locks the activity's row first, so two residents taking the last place at the
same moment are served one after the other: one is confirmed, the other waits. The cancel
code is shown once; only its HMAC is kept.
"""

import datetime
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.pagecache import bump
from common.refusals import Refused, refused_by_database
from corridors.models import Activity, ActivitySignup, User
from corridors.services.privacy import personal_data_reveal

NAME_MAX: int = ActivitySignup._meta.get_field("name").max_length or 20
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
# No 0/O, 1/I/L: the code is read off a phone screen and typed back, often by someone else.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def normalise_phone(phone: str) -> str:
    return "".join(ch for ch in (phone or "") if not ch.isspace() and ch != "-")


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _digest(activity_id: int, code: str) -> str:
    message = f"signup:{activity_id}:{normalise_code(code)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def confirmed_count(activity: Activity) -> int:
    return activity.signups.filter(status=ActivitySignup.Status.CONFIRMED).count()


def places_summary(activity) -> dict:
    """How many are confirmed and waiting, and the places left (``None``: no limit)."""
    counts = {"confirmed": 0, "waiting": 0}
    for status in activity.signups.exclude(status=ActivitySignup.Status.CANCELLED).values_list("status", flat=True):
        counts[status] += 1
    left = None if activity.capacity is None else max(activity.capacity - counts["confirmed"], 0)
    return {**counts, "left": left, "capacity": activity.capacity}


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


def check_signup(*, name: str, phone: str, consent: bool) -> tuple[str, str]:
    name = " ".join((name or "").split())
    phone = normalise_phone(phone)
    if not name:
        raise Refused(_("Please write your name."), field="name")
    if len(name) > NAME_MAX:
        raise Refused(_("Please keep the name to %(count)s characters.") % {"count": NAME_MAX}, field="name")
    if not MOBILE.match(phone):
        raise Refused(_("Please write an 11-digit mobile number starting with 1, such as 13812345678."), field="phone")
    if not consent:
        raise Refused(
            _("Please agree that the organiser keeps your name and number for this activity."), field="consent"
        )
    return name, phone


def signup_create(*, activity: Activity, name: str, phone: str, consent: bool) -> tuple[ActivitySignup, str]:
    """Sign a resident up: confirmed while places remain, else on the waiting list.

    Returns the sign-up and its cancel code (to be shown once, never stored in clear).
    """
    name, phone = check_signup(name=name, phone=phone, consent=consent)
    with transaction.atomic():
        activity = _lock(activity)
        if activity.starts_at <= timezone.now():
            raise Refused(_("This activity has started, so it takes no more sign-ups."))
        if not activity.group.is_active:
            raise Refused(_("This corridor takes no sign-ups at the moment."))
        live = activity.signups.exclude(status=ActivitySignup.Status.CANCELLED)
        if live.filter(phone=phone).exists():
            raise Refused(
                _("This number has already signed up for this activity. To change, cancel with your code first."),
                field="phone",
            )
        full = activity.capacity is not None and confirmed_count(activity) >= activity.capacity
        code = _new_code()
        try:
            with transaction.atomic():
                signup = ActivitySignup.objects.create(
                    activity=activity,
                    name=name,
                    phone=phone,
                    consent=True,
                    status=ActivitySignup.Status.WAITING if full else ActivitySignup.Status.CONFIRMED,
                    cancel_digest=_digest(activity.pk, code),
                )
        except IntegrityError as error:
            raise refused_by_database(error) from error
        bump("activity", activity.pk)
        bump("group", activity.group_id)
    return signup, code


def signup_cancel(*, activity: Activity, phone: str, code: str) -> tuple[ActivitySignup, ActivitySignup | None]:
    """Cancel with the number and the code; a confirmed place passes to the first on the waiting list.

    Returns the cancelled sign-up and the one promoted (or ``None``).
    """
    phone = normalise_phone(phone)
    wrong = Refused(_("The number and the cancel code do not match a sign-up for this activity."), field="code")
    if not MOBILE.match(phone) or len(normalise_code(code)) != CODE_LENGTH:
        raise wrong
    with transaction.atomic():
        activity = _lock(activity)
        signup = (
            activity.signups.exclude(status=ActivitySignup.Status.CANCELLED)
            .filter(phone=phone)
            .select_for_update()
            .first()
        )
        if signup is None or not hmac.compare_digest(signup.cancel_digest, _digest(activity.pk, code)):
            raise wrong
        was_confirmed = signup.status == ActivitySignup.Status.CONFIRMED
        now = timezone.now()
        signup.status = ActivitySignup.Status.CANCELLED
        signup.cancelled_at = now
        signup.save(update_fields=["status", "cancelled_at"])
        promoted = None
        if was_confirmed and activity.starts_at > now:
            promoted = (
                activity.signups.filter(status=ActivitySignup.Status.WAITING)
                .order_by("created_at", "pk")
                .select_for_update()
                .first()
            )
            if promoted is not None:
                promoted.status = ActivitySignup.Status.CONFIRMED
                promoted.promoted_at = now
                promoted.save(update_fields=["status", "promoted_at"])
        bump("activity", activity.pk)
        bump("group", activity.group_id)
    return signup, promoted


# Names and numbers are kept for the activity and a month after it (questions, a lost
# item, a second session), then deleted (the consent text says so).
SIGNUP_KEEP_DAYS = 30


def signups_delete_expired(now) -> int:
    """Delete the sign-ups of activities that ended more than ``SIGNUP_KEEP_DAYS`` ago; returns how many."""
    cutoff = now - datetime.timedelta(days=SIGNUP_KEEP_DAYS)
    deleted, _counts = ActivitySignup.objects.filter(activity__ends_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def signup_reveal(*, signup: ActivitySignup, actor: User, purpose: str) -> tuple[str, str]:
    """One resident's name and number unmasked, after recording who asked, when and why.

    Whether ``actor`` organises the activity is the view's permission check; this records
    the act in the site's one log (``corridors.services.privacy``) before anything is shown.
    """
    activity = signup.activity
    personal_data_reveal(
        actor=actor,
        subject=signup,
        subject_label=_("Sign-up %(number)s for “%(activity)s” (%(day)s)")
        % {
            "number": signup.pk,
            "activity": activity.title,
            "day": date_format(timezone.localtime(activity.starts_at), "DATE_FORMAT"),
        },
        fields=["name", "phone"],
        purpose=purpose,
    )
    return signup.name, signup.phone
