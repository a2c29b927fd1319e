"""Forms residents fill in on the public pages: sign up for an activity, cancel, write to the leader."""

from django import forms
from django.utils.translation import gettext_lazy as _

from corridors.services.contact import MESSAGE_MAX
from corridors.services.signups import NAME_MAX


class SignupForm(forms.Form):
    error_summary_heading = _("Please correct the problems marked below and submit again (what you typed is kept):")

    # The service checks every field and says what is wrong in a sentence; the form only
    # bounds the input and shows the right keyboard.
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=200,
        help_text=_("Up to %(count)s characters. Shown to others only as your surname and *.") % {"count": NAME_MAX},
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": NAME_MAX}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=40,
        help_text=_("11 digits. The organiser may call you about this activity; others never see it."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "maxlength": 13}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organiser keeps my name and number for this activity only, "
            "shown masked to everyone else, and deletes them a month after it."
        ),
        required=False,
    )


class CancelForm(forms.Form):
    error_summary_heading = _("Please correct the problems marked below and submit again (what you typed is kept):")

    phone = forms.CharField(
        label=_("Mobile number you signed up with"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "maxlength": 13}),
    )
    code = forms.CharField(
        label=_("Cancel code"),
        required=False,
        max_length=20,
        help_text=_("The 8 letters and digits shown when you signed up, such as AB3D-7KXY."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "maxlength": 12}),
    )


class ContactLeaderForm(forms.Form):
    error_summary_heading = _("Please correct the problems marked below and submit again (what you typed is kept):")

    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    reply_to = forms.CharField(
        label=_("How to reach you"),
        required=False,
        max_length=200,
        help_text=_("A phone number or your room number, so the leader can answer. Only the leader sees it."),
    )
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX}),
    )


class RevealPurposeForm(forms.Form):
    """Why the organiser needs one resident's full name and number (recorded before it is shown)."""

    error_summary_heading = _("Please correct the problems marked below and try again to view it:")

    purpose = forms.CharField(
        label=_("Purpose (recorded)"),
        max_length=300,
        help_text=_("For example: calling to say the activity moved to another day."),
    )
