"""Forms of the funds app: they parse input; the services in ``funds.services`` write."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import ReceiptField
from corridors.models import User
from funds.models import Campaign, ConsentReason, ConsentStatus, Payment, Unit, WorkingGroupMember


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


class UnitCorrectForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=200,
        help_text=_("For example: the area on the property certificate is 88.72 m²."),
    )

    class Meta:
        model = Unit
        fields = ["floor", "area_m2", "owner_name", "owner_phone"]


class PaymentCorrectionForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to take back (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
