"""Forms for places. They parse input only; the services in ``corridors.services.places`` write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.listing import offer_names
from corridors.models import Building, BuildingGroup, Compound, Department, Neighbourhood, Role, RoleAssignment, User


def _limit_streets(field, streets) -> None:
    """Offer only the user's streets; with just one there is nothing to choose."""
    field.queryset = streets
    first_two = list(streets[:2])
    if len(first_two) == 1:
        field.initial = first_two[0].pk
        field.widget = forms.HiddenInput()


class NeighbourhoodForm(forms.ModelForm):
    class Meta:
        model = Neighbourhood
        fields = ["street", "name", "committee_name", "address", "phone"]
        labels = {
            "street": _("Street"),
            "name": pgettext_lazy("place", "Name"),
            "committee_name": _("Residents' committee"),
            "address": _("Address"),
            "phone": _("Office telephone"),
        }

    def __init__(self, *args, streets=None, **kwargs):
        """``streets``: the streets the user may add to (on create); on edit the street stays."""
        super().__init__(*args, **kwargs)
        if streets is None:
            del self.fields["street"]
            return
        _limit_streets(self.fields["street"], streets)


class CompoundForm(forms.ModelForm):
    class Meta:
        model = Compound
        fields = ["name", "address"]
        labels = {"name": pgettext_lazy("place", "Name"), "address": _("Address")}
        help_texts = {"name": _("For example 和平花园")}


class BuildingForm(forms.ModelForm):
    # Bounds as in the model's check constraints, so the form answers before the database does.
    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=300)
    households = forms.IntegerField(label=_("Households"), min_value=1, max_value=100_000)
    elevators = forms.IntegerField(label=_("Elevators"), min_value=0, max_value=100, initial=0)
    year_built = forms.IntegerField(label=_("Year built"), min_value=1800, max_value=2200, required=False)

    class Meta:
        model = Building
        fields = ["name", "floors", "households", "elevators", "year_built"]
        labels = {"name": pgettext_lazy("place", "Name")}


class BuildingGroupForm(forms.ModelForm):
    households = forms.IntegerField(label=_("Households"), min_value=1, max_value=100_000)

    class Meta:
        model = BuildingGroup
        fields = ["name", "households"]
        labels = {"name": pgettext_lazy("place", "Name")}


class DepartmentForm(forms.ModelForm):
    # Only on the edit page: one of the department's officers (the choice is checked again
    # by the service, department_head_set).
    head = forms.ModelChoiceField(
        label=_("Head of the department"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No head"),
        help_text=_("Told of follow-ups overdue past the street's limit before the street office is."),
    )

    class Meta:
        model = Department
        fields = ["street", "name", "is_active"]
        labels = {"street": _("Street"), "name": pgettext_lazy("place", "Name"), "is_active": _("Active")}

    def __init__(self, *args, streets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if streets is None:
            del self.fields["street"]
            officers = RoleAssignment.objects.filter(role=Role.OFFICER, department=self.instance, user__is_active=True)
            self.fields["head"].queryset = User.objects.filter(pk__in=officers.values("user_id")).order_by("username")
            self.fields["head"].label_from_instance = lambda user: f"{user.masked_name} ({user.username})"
            head = officers.filter(is_head=True).values_list("user_id", flat=True).first()
            self.fields["head"].initial = head
        else:
            del self.fields["is_active"]  # a new department is active
            del self.fields["head"]  # it has no officers yet
            _limit_streets(self.fields["street"], streets)


class PlacesImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}
        ),
        error_messages={"required": _("Please choose a file."), "empty": _("The file is empty.")},
    )


class GroupFilterForm(forms.Form):
    """The filters of the building-groups list (GET); bad values are simply ignored."""

    HAS_LEADER_CHOICES = [("", _("Any")), ("yes", _("With a leader")), ("no", _("Without a leader"))]

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none(), required=False, empty_label=_("All")
    )
    has_leader = forms.ChoiceField(label=_("Leader"), choices=HAS_LEADER_CHOICES, required=False)

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods
        offer_names(self.fields["neighbourhood"])
