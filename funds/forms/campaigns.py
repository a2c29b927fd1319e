"""Forms of a campaign and its working group."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common import dates
from corridors.models import User
from funds.models import Campaign, WorkingGroupMember
from funds.services.campaigns import CAMPAIGN_FIELDS


class CampaignForm(forms.ModelForm):
    consent_deadline = dates.DateField(
        label=_("Return consent forms by"),
        required=False,
        help_text=_("Printed on every consent form. Leave empty to write the date by hand."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    collection_deadline = dates.DateField(
        label=_("Collection deadline"),
        required=False,
        help_text=_("After this day the collector and the street office get a daily list of the units not yet paid."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Campaign
        fields = ["building", *CAMPAIGN_FIELDS]

    def __init__(self, *args, buildings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if buildings is None:
            del self.fields["building"]
        else:
            self.fields["building"].queryset = buildings


class MemberForm(forms.ModelForm):
    username = forms.CharField(
        label=_("Account (user name)"),
        max_length=150,
        required=False,
        help_text=_("Optional. With an account, the member records consents on their visits."),
    )

    class Meta:
        model = WorkingGroupMember
        fields = ["name", "side", "is_leader"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this user name."))
        return user
