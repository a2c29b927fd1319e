"""The stated purpose asked before an owner's name and phone are shown unmasked."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PurposeForm(forms.Form):
    error_summary_heading = _("Please correct the problems marked below and try again to view it:")

    purpose = forms.CharField(
        label=_("Purpose (recorded)"),
        max_length=300,
        help_text=_("For example: calling the owner to arrange a visit about the unpaid contribution."),
    )
