"""Signing in: the password, then — for street staff, finance approvers and the superuser — a
six-digit code from an authenticator app (or a recovery code), enrolled at the first sign-in.

After a correct password such a person is *not* signed in yet: the session only remembers,
for a few minutes, who passed the first step. ``django.contrib.auth.login`` runs once the
second step succeeds, so a session of a privileged account always had both.
"""

import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.forms import add_errors
from common.refusals import Refused
from corridors.forms.auth import SecondFactorForm, SignInForm
from corridors.models import User
from corridors.selectors import get_account_for_user
from corridors.services import second_factor as services

PENDING = "corridors_second_factor"
PENDING_SECONDS = 300


class SignInView(LoginView):
    authentication_form = SignInForm

    def form_valid(self, form):
        user = form.get_user()
        if not services.needs_second_factor(user):
            return super().form_valid(form)
        # The password was right; the second step decides. A new session key, so nothing
        # set before the password (a planted session id) carries over.
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        if services.confirmed_authenticator(user) is None:
            return redirect("second_factor_enrol")
        return redirect("second_factor")


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, {}
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


def _restart(request):
    messages.info(request, _("Please sign in again: the second step waits five minutes at most."))
    return redirect("login")


def _finish(request, user: User, pending: dict, device) -> None:
    request.session.pop(PENDING, None)
    login(request, user, backend=pending["backend"])
    otp_login(request, device)


@never_cache
@csrf_protect
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def second_factor(request):
    user, pending = _pending_user(request)
    if user is None:
        return _restart(request)
    if services.confirmed_authenticator(user) is None:
        return redirect("second_factor_enrol")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user, form.cleaned_data["token"])
        if device is not None:
            _finish(request, user, pending, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(n)s are left. New ones: “Recovery codes” in your account.")
                    % {"n": left},
                )
            return HttpResponseRedirect(pending["next"])
        form.add_error("token", _("That code is not right, or was already used. Please try the code shown now."))
    return render(request, "registration/second_factor.html", {"form": form, "person": user})


@never_cache
@csrf_protect
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request):
    user, pending = _pending_user(request)
    if user is None:
        return _restart(request)
    if services.confirmed_authenticator(user) is not None:
        return redirect("second_factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = services.authenticator_confirm(user=user, device=device, token=form.cleaned_data["token"])
        except Refused as error:
            add_errors(form, error)
        else:
            confirmed = TOTPDevice.objects.get(pk=device.pk)
            _finish(request, user, pending, confirmed)
            return render(
                request, "registration/recovery_codes.html", {"codes": codes, "next": pending["next"], "first": True}
            )
    if device is None or request.method == "GET":
        device = services.authenticator_start(user=user)
    context = {"form": form, "person": user, **_enrolment(device)}
    return render(request, "registration/second_factor_enrol.html", context)


def _enrolment(device: TOTPDevice) -> dict:
    secret = base64.b32encode(device.bin_key).decode()
    url = device.config_url
    return {
        "qr": segno.make(url, error="m").svg_data_uri(scale=5, border=2),
        # Grouped in fours, as authenticator apps show a secret typed by hand.
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "issuer": settings.OTP_TOTP_ISSUER,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """A signed-in person with a second factor makes ten new recovery codes (the old ones stop working)."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    if services.confirmed_authenticator(request.user) is None:
        messages.info(request, _("Your account signs in with a password only; it has no recovery codes."))
        return redirect("home")
    if request.method == "POST":
        codes = services.recovery_codes_renew(user=request.user)
        return render(request, "registration/recovery_codes.html", {"codes": codes, "next": reverse("home")})
    return render(request, "registration/recovery_codes.html", {"codes": None})


def admin_login(request, extra_context=None):
    """The admin's sign-in page is the site's (with the second factor for the superuser)."""
    target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    if request.user.is_authenticated:
        return redirect(target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "home")
    return redirect_to_login(target, reverse("login"))


@login_required
@require_POST
def second_factor_reset(request, pk):
    """The superuser takes away someone's second factor (lost phone); recorded in the audit trail."""
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only the system administrator may reset a second factor."))
    account = get_account_for_user(request.user, pk)
    services.second_factor_reset(user=account, by=request.user)
    messages.success(
        request,
        _("The second factor of %(name)s was reset: they set it up again at their next sign-in.")
        % {"name": account.username},
    )
    return redirect("people:detail", pk=account.pk)
