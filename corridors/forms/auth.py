"""Sign-in forms, with the username's length checked before anything is looked up."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class _UsernameLengthMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django only sets the widget's maxlength; without the validator an over-long name
        # reaches the login throttle's 255-character column and fails there (a 500).
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(_UsernameLengthMixin, AuthenticationForm):
    pass


class AdminSignInForm(_UsernameLengthMixin, AdminAuthenticationForm):
    pass
