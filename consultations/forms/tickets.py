"""The queue at a stall: checking a representative in, a ticket's step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import ConsultationRequest
from consultations.selectors import representatives_of
from consultations.workflows.ticket import TicketState
from corridors.models import User


class CheckInForm(forms.Form):
    """Check a representative in, optionally for one of their open requests at this stall."""

    representative = forms.ModelChoiceField(
        label=_("Representative"), queryset=User.objects.none(), empty_label=_("Choose a representative")
    )
    # Set by the "Check in" button of a request's row; ``requests`` is what this stall may link to.
    request = forms.ModelChoiceField(
        queryset=ConsultationRequest.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This request is not an open request for this stall.")},
    )

    def __init__(self, *args, street_id, requests=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = representatives_of(street_id)
        if requests is not None:
            self.fields["request"].queryset = requests

    def clean(self):
        data = super().clean()
        representative, request = data.get("representative"), data.get("request")
        if representative and request and request.representative_id != representative.pk:
            raise forms.ValidationError(_("This request was brought by another representative."))
        return data


class TicketStepForm(forms.Form):
    state = forms.ChoiceField(choices=TicketState.choices, widget=forms.HiddenInput)
