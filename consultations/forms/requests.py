"""Filing a request (online, on a representative's behalf, at a stall) and its workflow steps."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import ReceiptField
from consultations.forms.widgets import DATE_INPUT
from consultations.models import Category, Conference, ConsultationRequest
from consultations.selectors import representatives_of
from consultations.workflows.request import RequestState
from corridors.models import Building, Compound, Department, Role, User


class _RequestFields(forms.Form):
    """The fields a request has however it is filed; querysets are narrowed to one street."""

    compound = forms.ModelChoiceField(
        label=_("Compound"), queryset=Compound.objects.none(), empty_label=_("Choose a compound")
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("The whole compound"),
        help_text=_("Leave empty if the request concerns the whole compound."),
    )
    households = forms.IntegerField(
        label=_("Households entrusting it"),
        min_value=1,
        initial=1,
        help_text=ConsultationRequest._meta.get_field("households").help_text,
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("Choose a category")
    )
    title = forms.CharField(
        label=_("Summary"), max_length=60, help_text=ConsultationRequest._meta.get_field("title").help_text
    )
    text = forms.CharField(
        label=_("The request"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the residents ask, in their words: where, since when, what they have tried."),
    )
    attachment = ReceiptField(
        label=_("Photo or scan (optional)"),
        required=False,
        help_text=_("A picture (JPEG, PNG, WebP) or a PDF; only the department and you can open it."),
    )

    def __init__(self, *args, street_id, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.fields["building"].queryset = Building.objects.filter(compound__in=compounds).select_related("compound")
        self.fields["category"].queryset = Category.objects.filter(street_id=street_id, is_active=True)

    def clean(self):
        data = super().clean()
        compound, building = data.get("compound"), data.get("building")
        if compound and building and building.compound_id != compound.pk:
            self.add_error("building", _("This building is not in the chosen compound."))
        return data

    def attachments(self) -> list:
        return [self.cleaned_data["attachment"]] if self.cleaned_data.get("attachment") else []


class RequestForm(_RequestFields):
    """A representative files a request (before a conference, or any time of year)."""

    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), empty_label=_("Choose a department")
    )
    conference = forms.ModelChoiceField(
        label=_("Conference"),
        queryset=Conference.objects.none(),
        required=False,
        empty_label=_("No conference: send it to the department now"),
        help_text=_("Choose a conference to bring it to that department's stall."),
    )

    field_order = ["compound", "building", "households", "category", "department", "conference", "title", "text"]

    def __init__(self, *args, street_id, compounds, **kwargs):
        super().__init__(*args, street_id=street_id, compounds=compounds, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(street_id=street_id, is_active=True)
        self.fields["conference"].queryset = Conference.objects.filter(
            street_id=street_id, date__gte=timezone.localdate()
        ).order_by("date")


class OnBehalfForm(RequestForm):
    """The residents' committee files for a representative of its neighbourhood."""

    representative = forms.ModelChoiceField(
        label=_("Representative"),
        queryset=User.objects.none(),
        empty_label=_("Choose a representative"),
        help_text=_("The request is theirs: they see its answers and confirm or reopen it."),
    )

    field_order = ["representative", *RequestForm.field_order]

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = (
            User.objects.filter(
                is_active=True, roles__role=Role.REPRESENTATIVE, roles__neighbourhood__in=neighbourhoods
            )
            .distinct()
            .order_by("full_name", "username")
        )


class WalkInForm(_RequestFields):
    """Stall staff write down a request a representative brings in person."""

    representative = forms.ModelChoiceField(
        label=_("Representative"), queryset=User.objects.none(), empty_label=_("Choose a representative")
    )

    field_order = ["representative", "compound", "building", "households", "category", "title", "text"]

    def __init__(self, *args, street_id, compounds, **kwargs):
        super().__init__(*args, street_id=street_id, compounds=compounds, **kwargs)
        self.fields["representative"].queryset = representatives_of(street_id)


class StepForm(forms.Form):
    """A step, carrying the state the page showed so a stale click is caught."""

    state = forms.ChoiceField(choices=RequestState.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(StepForm):
    """Resolving also settles the one line the public board will show: reviewed by whoever resolves."""

    public_summary = forms.CharField(
        label=_("Summary for the public board"),
        max_length=ConsultationRequest._meta.get_field("public_summary").max_length,
        help_text=_(
            "Pre-filled from the request's summary with what looked personal masked (**). "
            "Edit it so residents understand what was done."
        ),
    )
    summary_checked = forms.BooleanField(
        label=_("I checked this text contains no names, phone numbers or room numbers"),
        error_messages={"required": _("Please read the summary for the public board and tick the box.")},
    )


class AcceptForm(StepForm):
    due_date = dates.DateField(label=_("Due date"), widget=DATE_INPUT)
    officer = forms.ModelChoiceField(
        label=_("Officer following it up"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Me"),
    )

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            User.objects.filter(is_active=True, roles__role=Role.OFFICER, roles__department=department)
            .distinct()
            .order_by("full_name")
        )


class ReferForm(StepForm):
    department = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Department.objects.none(), empty_label=_("Choose a department")
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            street_id=request.neighbourhood.street_id, is_active=True
        ).exclude(pk=request.department_id)
