"""Second factor (TOTP, django-otp) for the accounts that hold money or a whole street.

Street staff, finance approvers and the superuser sign in with their password *and* a
six-digit code from an authenticator app (or one of ten single-use recovery codes). The first
time, they enrol: the sign-in shows a QR code, they type the code their app shows, and get
their recovery codes once. The superuser can reset someone's second factor (a lost phone);
the reset is in the audit trail, and that person enrols again at their next sign-in.

A session is only ever made after the second factor (``corridors.views.auth``), so no page
needs to check again.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.refusals import Refused
from corridors.models import User
from corridors.models.people import PRIVILEGED_ROLES

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"
RECOVERY_CODES = 10


def needs_second_factor(user: User) -> bool:
    """The superuser, anyone holding a street-staff or finance role, and district or city users
    (who see every street of their district)."""
    if user.is_superuser:
        return True
    return user.roles.filter(role__in=sorted(PRIVILEGED_ROLES)).exists() or user.oversights.exists()


def confirmed_authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def verify_second_factor(user: User, token: str):
    """The device that accepts ``token`` (the authenticator's code, or an unused recovery code), or ``None``.

    Each device counts failures and refuses for a while after several (django-otp throttling).
    """
    token = "".join((token or "").split()).lower()
    if not token or len(token) > 16:
        return None
    with transaction.atomic():
        devices = [
            *TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True),
            *StaticDevice.objects.select_for_update().filter(user=user, confirmed=True),
        ]
        for device in devices:
            if device.verify_token(token):
                return device
    return None


@transaction.atomic
def authenticator_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (one per person; a new secret each start)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


@transaction.atomic
def authenticator_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm enrolment with the first code the app shows; returns the new recovery codes.

    Refused (nothing changes) if the code is wrong.
    """
    # Two tabs confirming at once: one device, one set of codes.
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    token = "".join((token or "").split())
    if device.confirmed or not token.isdigit() or not device.verify_token(token):
        raise Refused(_wrong_code(), field="token")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new single-use recovery codes (the old ones stop working); shown once, stored as given."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_reset(*, user: User, by: User) -> None:
    """The superuser takes away someone's authenticator and recovery codes (a lost phone).

    The person enrols again at their next sign-in; the reset is in the audit trail.
    """
    from corridors.models.audit import record_event

    if not by.is_superuser:
        raise Refused(_only_superuser())
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(user, "account.second_factor_reset")


def _wrong_code() -> str:
    return _("That code is not right. Type the six digits your authenticator app shows now.")


def _only_superuser() -> str:
    return _("Only the system administrator may reset a second factor.")
