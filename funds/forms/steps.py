"""The form of a workflow step that may need a reason (payouts, awards, re-inspection)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    """A step that needs a reason, carrying the state the page showed so a stale click is caught."""

    state = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
