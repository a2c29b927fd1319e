"""Forms for the staff account pages. Choices are limited to the staff member's own street(s)."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from corridors.models import BuildingGroup, Department, Neighbourhood, Role, RoleAssignment, User
from corridors.models.people import PRIVILEGED_ROLES, ROLE_SCOPE, SCOPE_FIELDS
from corridors.selectors import scope_of, staff_streets_for_user

phone_validator = RegexValidator(r"^\+?[0-9][0-9 -]{5,18}[0-9]$", _("Enter a valid phone number."))


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.building.compound.neighbourhood.name} · {obj}"


class AccountFilterForm(forms.Form):
    """The filters above the account list (read from the query string)."""

    NO_ROLE = "none"
    ACTIVE_CHOICES = [("", _("Active and inactive")), ("active", _("Active")), ("inactive", _("Inactive"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *Role.choices, (self.NO_ROLE, _("No role"))]
        self.fields["q"].widget.attrs.update({"class": "form-control", "placeholder": _("Username or name")})
        self.fields["role"].widget.attrs["class"] = "form-select"
        self.fields["status"].widget.attrs["class"] = "form-select"


class RoleForm(forms.Form):
    """A role and its scope, chosen from the staff member's own street(s) only."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    street = forms.ModelChoiceField(label=_("Street"), queryset=None, required=False)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=None,
        required=False,
        help_text=_("For residents' committee staff and resident representatives."),
    )
    building_group = GroupChoiceField(
        label=_("Building group"), queryset=None, required=False, help_text=_("For building-group leaders.")
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, help_text=_("For department officers.")
    )

    def __init__(self, *args, staff: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff.is_superuser:
            # Street staff and finance approvers are appointed by the system administrator.
            self.fields["role"].choices = [(v, label) for v, label in Role.choices if v not in PRIVILEGED_ROLES]
        streets = scope_of(staff).staff_streets
        self.fields["street"].queryset = staff_streets_for_user(staff)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(street_id__in=streets).select_related(
            "street"
        )
        self.fields["building_group"].queryset = (
            BuildingGroup.objects.filter(building__compound__neighbourhood__street_id__in=streets, is_active=True)
            .select_related("building__compound__neighbourhood__street")
            .order_by("building__compound__neighbourhood__name", "building__compound__name", "building__name", "name")
        )
        self.fields["department"].queryset = Department.objects.filter(
            street_id__in=streets, is_active=True
        ).select_related("street")
        if len(streets) == 1:
            # One street: nothing to choose, the street of every role is that one.
            self.fields["street"].widget = forms.HiddenInput()
            self.fields["street"].initial = next(iter(streets))
        else:
            self.fields["street"].help_text = _("For street office staff and finance approvers.")

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if not role:
            return data
        needed = ROLE_SCOPE[Role(role)]
        role_label = Role(role).label
        for name in SCOPE_FIELDS:
            scope_label = RoleAssignment._meta.get_field(name).verbose_name
            if name == needed and data.get(name) is None and name not in self.errors:
                self.add_error(
                    name, _("The role “%(role)s” needs a %(scope)s.") % {"role": role_label, "scope": scope_label}
                )
            elif name != needed and data.get(name) is not None:
                self.add_error(
                    name,
                    _("The role “%(role)s” is not limited to a %(scope)s; leave this empty.")
                    % {"role": role_label, "scope": scope_label},
                )
        if needed:
            scope = data.get(needed)
            if scope is not None:
                data["street"] = (
                    scope.street if needed != "building_group" else scope.building.compound.neighbourhood.street
                )
        elif data.get("street") is None and "street" not in self.errors:
            self.add_error("street", _("Choose the street for this role."))
        if self.fields["street"].widget.is_hidden and "street" in self.errors:
            # A hidden field's error would not be displayed: show it above the form.
            self.add_error(None, self.errors.pop("street"))
        return data

    def role_kwargs(self) -> dict:
        """Keyword arguments for ``role_grant`` / ``user_create_with_role``."""
        data = self.cleaned_data
        return {name: data.get(name) for name in ("role", "street", *SCOPE_FIELDS)}


class AccountFieldsMixin(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False, validators=[phone_validator])
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("Optional."))


class AccountForm(AccountFieldsMixin):
    """Name and contact details of an existing account."""


class AccountCreateForm(AccountFieldsMixin, RoleForm):
    """A new account with its initial password and first role."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Used to sign in. Letters, digits and @/./+/-/_ only."),
    )
    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Initial password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "username",
        "full_name",
        "phone",
        "email",
        "password1",
        "password2",
        "role",
        "street",
        "neighbourhood",
        "building_group",
        "department",
    ]

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            candidate = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            candidate.email = data.get("email", "")
            try:
                validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
