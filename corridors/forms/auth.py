"""Sign-in forms, with the username's length checked before anything is looked up, and the
second step's code."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class _UsernameLengthMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django only sets the widget's maxlength; without the validator an over-long name
        # reaches the login throttle's 255-character column and fails there (a 500).
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(_UsernameLengthMixin, AuthenticationForm):
    pass


class SecondFactorForm(forms.Form):
    """The six digits an authenticator app shows, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
