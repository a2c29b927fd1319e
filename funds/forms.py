"""Forms of the funds app: they parse input; the services in ``funds.services`` write."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import ReceiptField
from funds.models import Campaign, ConsentReason, ConsentStatus, Payment, WorkingGroupMember


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "building",
            "purpose",
            "works_cost",
            "fund_balance",
            "initial_fund",
            "reserve_share",
            "rate_per_m2",
            "collector",
            "supervisor",
            "rule_set",
        ]

    def __init__(self, *args, buildings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if buildings is None:
            del self.fields["building"]
        else:
            self.fields["building"].queryset = buildings


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roll file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("Columns: unit, floor, area, owner name, phone, owner key. The first line names the columns."),
    )


class ConsentForm(forms.Form):
    status = forms.ChoiceField(label=_("Consent"), choices=ConsentStatus.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *ConsentReason.choices], required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    scan = ReceiptField(label=_("Signed form (scan, private)"), required=False)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Payment.Channel.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "payment_%s")  # the unit page also has a consent form with a note
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate


class MemberForm(forms.ModelForm):
    class Meta:
        model = WorkingGroupMember
        fields = ["name", "side", "is_leader"]
