"""Staff pages for accounts: create, edit roles, reset password, deactivate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.export import xlsx_response
from common.forms import add_errors
from common.listing import paginate, sort_queryset
from common.masking import mask_phone
from common.permissions import require
from corridors.forms.people import AccountCreateForm, AccountFilterForm, AccountForm, RoleForm
from corridors.models import RoleAssignment
from corridors.selectors import (
    accounts_for_user,
    get_account_for_user,
    get_role_assignment_for_user,
    role_assignments_for_user,
    scope_of,
)
from corridors.services.people import (
    role_grant,
    role_revoke,
    user_create_with_role,
    user_set_active,
    user_set_password,
    user_update,
)

SORTS = {
    "username": "username",
    "name": "full_name",
    "joined": "date_joined",
    "last_login": "last_login",
}


def _filtered_accounts(request):
    """The account list as filtered and sorted by the query string, roles prefetched (no query per row)."""
    form = AccountFilterForm(request.GET or None)
    accounts = accounts_for_user(request.user).prefetch_related(
        Prefetch(
            "roles", queryset=role_assignments_for_user(request.user).order_by("role", "pk"), to_attr="street_roles"
        )
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            accounts = accounts.filter(Q(username__icontains=data["q"]) | Q(full_name__icontains=data["q"]))
        if data["role"] == AccountFilterForm.NO_ROLE:
            accounts = accounts.exclude(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"))))
        elif data["role"]:
            accounts = accounts.filter(
                Exists(
                    RoleAssignment.objects.filter(
                        user=OuterRef("pk"), role=data["role"], street_id__in=scope_of(request.user).staff_streets
                    )
                )
            )
        if data["status"]:
            accounts = accounts.filter(is_active=data["status"] == "active")
    accounts, sort = sort_queryset(accounts, request, SORTS, "username")
    return form, accounts, sort


@login_required
def user_list(request):
    require(request.user, "corridors.manage_people")
    form, accounts, sort = _filtered_accounts(request)
    page = paginate(accounts, request)
    return render(
        request,
        "corridors/people/user_list.html",
        {"filter_form": form, "page_obj": page, "accounts": page.object_list, "sort": sort},
    )


EXPORT_HEADERS = [
    gettext_lazy("Username"),
    gettext_lazy("Full name"),
    gettext_lazy("Mobile phone"),
    gettext_lazy("Roles"),
    gettext_lazy("Active"),
    gettext_lazy("Last sign-in"),
]


@login_required
def user_export(request):
    require(request.user, "corridors.manage_people")
    _form, accounts, _sort = _filtered_accounts(request)
    rows = (
        [
            account.username,
            account.full_name,
            mask_phone(account.phone),
            "; ".join(str(assignment) for assignment in account.street_roles),
            _("Yes") if account.is_active else _("No"),
            account.last_login,
        ]
        for account in accounts
    )
    return xlsx_response(filename="accounts.xlsx", sheet_title=_("Accounts"), headers=EXPORT_HEADERS, rows=rows)


@login_required
def user_create(request):
    require(request.user, "corridors.manage_people")
    form = AccountCreateForm(request.POST or None, staff=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = user_create_with_role(
                by=request.user,
                username=data["username"],
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"],
                **form.role_kwargs(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Account %(username)s created.") % {"username": account.username})
            return redirect("people:detail", pk=account.pk)
    return render(request, "corridors/people/user_create.html", {"form": form})


def _detail(request, account, *, form=None, role_form=None, status=200):
    return render(
        request,
        "corridors/people/user_detail.html",
        {
            "account": account,
            "form": form
            or AccountForm(initial={"full_name": account.full_name, "phone": account.phone, "email": account.email}),
            "role_form": role_form or RoleForm(staff=request.user),
            "assignments": role_assignments_for_user(request.user).filter(user=account).order_by("role", "pk"),
            "is_self": account.pk == request.user.pk,
        },
        status=status,
    )


@login_required
def user_detail(request, pk):
    require(request.user, "corridors.manage_people")
    account = get_account_for_user(request.user, pk)
    if request.method != "POST":
        return _detail(request, account)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            user_update(user=account, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Account details saved."))
            return redirect("people:detail", pk=account.pk)
    return _detail(request, account, form=form)


@login_required
@require_POST
def role_add(request, pk):
    require(request.user, "corridors.manage_people")
    account = get_account_for_user(request.user, pk)
    role_form = RoleForm(request.POST, staff=request.user)
    if role_form.is_valid():
        try:
            role_grant(by=request.user, user=account, **role_form.role_kwargs())
        except ValidationError as error:
            add_errors(role_form, error)
        else:
            messages.success(request, _("Role added."))
            return redirect("people:detail", pk=account.pk)
    return _detail(request, account, role_form=role_form)


@login_required
@require_POST
def role_remove(request, pk, assignment_pk):
    require(request.user, "corridors.manage_people")
    account = get_account_for_user(request.user, pk)
    assignment = get_role_assignment_for_user(request.user, account, assignment_pk)
    try:
        role_revoke(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role removed."))
    return redirect("people:detail", pk=account.pk)


@login_required
def user_password(request, pk):
    require(request.user, "corridors.manage_people")
    account = get_account_for_user(request.user, pk)
    form = SetPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_set_password(user=account, password=form.cleaned_data["new_password1"], by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The new password is in effect. Give it to the account holder in person."))
            return redirect("people:detail", pk=account.pk)
    return render(request, "corridors/people/user_password.html", {"account": account, "form": form})


@login_required
@require_POST
def user_activate(request, pk, active):
    require(request.user, "corridors.manage_people")
    account = get_account_for_user(request.user, pk)
    try:
        user_set_active(user=account, active=active, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Account reactivated.") if active else _("Account deactivated."))
    return redirect("people:detail", pk=account.pk)
