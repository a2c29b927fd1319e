"""Forms of stall consultations: filing, walk-ins, check-in, outcome steps, filters, set-up."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import ReceiptField
from consultations.models import Category, Conference, ConsultationRequest
from consultations.workflow import RequestState, TicketState
from corridors.models import Building, Compound, Department, Role, RoleAssignment, Street, User

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


def representatives_of(street_id):
    return (
        User.objects.filter(is_active=True, roles__role=Role.REPRESENTATIVE, roles__street_id=street_id)
        .distinct()
        .order_by("full_name", "username")
    )


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


class AttachmentForm(forms.Form):
    attachment = ReceiptField(label=_("Photo or scan"))


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
    due_date = forms.DateField(label=_("Due date"), widget=DATE_INPUT)
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


class TicketStepForm(forms.Form):
    state = forms.ChoiceField(choices=TicketState.choices, widget=forms.HiddenInput)


class StateFilterForm(forms.Form):
    """Filter one person's list (follow-ups, my requests) by state and overdue."""

    state = forms.ChoiceField(label=_("State"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        offered = [(value, label) for value, label in RequestState.choices if states is None or value in states]
        self.fields["state"].choices = [("", _("All states")), *offered]


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("All departments"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.none(), empty_label=_("All categories")
    )
    conference = forms.ModelChoiceField(
        label=_("Conference"), required=False, queryset=Conference.objects.none(), empty_label=_("All conferences")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *RequestState.choices]
        self.fields["department"].queryset = Department.objects.filter(street_id__in=streets)
        self.fields["category"].queryset = Category.objects.filter(street_id__in=streets)
        self.fields["conference"].queryset = Conference.objects.filter(street_id__in=streets)


class ConferenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    venue = forms.CharField(label=_("Venue"), max_length=200)


class StallForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    location = forms.CharField(label=_("Place in the lobby"), max_length=50, required=False)
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers on duty"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            street_id=conference.street_id, is_active=True
        ).exclude(stalls__conference=conference)
        self.fields["officers"].queryset = (
            User.objects.filter(is_active=True, roles__role=Role.OFFICER, roles__street_id=conference.street_id)
            .distinct()
            .order_by("full_name")
        )

    def clean(self):
        data = super().clean()
        department = data.get("department")
        for officer in data.get("officers") or []:
            if department and not officer.roles.filter(role=Role.OFFICER, department=department).exists():
                self.add_error("officers", _("%(name)s is not an officer of this department.") % {"name": officer})
        return data


class CategoryForm(forms.Form):
    street = forms.ModelChoiceField(label=_("Street"), queryset=Street.objects.none(), empty_label=None)
    name = forms.CharField(label=_("New category"), max_length=50)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        offered = list(streets)
        self.several_streets = len(offered) > 1
        if len(offered) == 1:
            # One street (the usual deployment): nothing to choose.
            self.fields["street"].initial = offered[0].pk
            self.fields["street"].widget = forms.HiddenInput()


class CategoryRenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)


class CategoryActiveForm(forms.Form):
    active = forms.BooleanField(required=False)


class TermForm(forms.Form):
    """Street staff record the term a representative serves."""

    assignment = forms.ModelChoiceField(label=_("Representative"), queryset=RoleAssignment.objects.none())
    term = forms.CharField(label=_("Term"), max_length=20, help_text=_("As the street names it, e.g. 第四届."))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_INPUT)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        field.queryset = (
            RoleAssignment.objects.filter(role=Role.REPRESENTATIVE, street__in=streets, user__is_active=True)
            .select_related("user", "neighbourhood")
            .order_by("neighbourhood__name", "user__full_name")
        )
        field.label_from_instance = lambda a: f"{a.user} · {a.neighbourhood}"

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("A term ends after it starts."))
        return data
