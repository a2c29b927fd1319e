"""django-otp's middleware, reading the second factor's device only when a page asks.

(Not in ``common.middleware``: that module is imported by the logging set-up, before the
models django-otp's middleware imports are ready.)
"""

import functools

from django_otp.middleware import OTPMiddleware


class LazyOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, reading the session's verified device only when a page asks
    ``user.is_verified()`` (which then also sets ``user.otp_device``).

    django-otp's own reads the device on every signed-in request (one query, ~1 ms of CPU).
    Here the second factor is enforced at sign-in (``corridors.views.auth``: a privileged
    account gets a session only after its code), so no page but the password page asks; the
    answer, when asked, is django-otp's (the session's device, still the user's and confirmed,
    else ``None`` and the session forgets it).
    """

    def _verify_user_sync(self, request, user):
        user.is_verified = functools.partial(self._is_verified, request, user)
        return user

    def _is_verified(self, request, user) -> bool:
        if not hasattr(user, "otp_device"):
            super()._verify_user_sync(request, user)
        return user.otp_device is not None
