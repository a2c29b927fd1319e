"""Application pages: scope (404 outside it), refusals explained, lists with fixed query
counts at 3 and 30 applications, the .xlsx export, the inbox and the home page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from corridors.models import Application, BudgetItem, Notification, Role
from corridors.services.applications import (
    application_budget_item_add,
    application_endorse,
    application_return_by_committee,
    application_submit,
)
from corridors.services.people import role_assign
from corridors.workflows.application import State
from tests import factories as f
from tests.corridors.test_application_workflow import make_application, make_year


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so the refusals below can be read (the default language is Chinese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def year(world):
    return make_year(world.street)


@pytest.fixture
def apps(world, year):
    """leo's application in n1 (submitted) and lena's in n2 (submitted)."""
    return {
        "leo": make_application(world, year, state=State.SUBMITTED, title="一号楼组"),
        "lena": make_application(world, year, group=world.g2, leader=world.lena, state=State.SUBMITTED,
                                 title="二号楼组"),
    }  # fmt: skip


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# --- Scope -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("leo", {"leo"}),
        ("lena", {"lena"}),
        ("carl", {"leo"}),
        ("cindy", {"lena"}),
        ("alice", {"leo", "lena"}),
        ("bob", set()),
        ("fay", set()),
        ("rita", set()),
        ("otto", set()),
        ("nobody", set()),
    ],
)
def test_who_sees_which_application(world, apps, as_user, persona, visible):
    client = as_user(getattr(world, persona))
    for owner, application in apps.items():
        for name in ("detail", "print"):
            response = client.get(reverse(f"applications:{name}", args=[application.pk]))
            assert response.status_code == (200 if owner in visible else 404), (persona, owner, name)


def test_a_step_on_an_unseen_application_is_not_found(world, apps, as_user):
    response = as_user(world.bob).post(
        reverse("applications:step", args=[apps["leo"].pk, "approve"]), {"state": State.SUBMITTED}
    )
    assert response.status_code == 404
    assert Application.objects.get(pk=apps["leo"].pk).state == State.SUBMITTED


def test_lists_are_for_their_roles(world, apps, as_user):
    assert as_user(world.leo).get(reverse("applications:list")).status_code == 403
    assert as_user(world.carl).get(reverse("applications:list")).status_code == 403
    assert as_user(world.alice).get(reverse("applications:queue")).status_code == 403
    carl_queue = as_user(world.carl).get(reverse("applications:queue"))
    assert [a.pk for a in carl_queue.context["waiting"]] == [apps["leo"].pk]
    bob_list = as_user(world.bob).get(reverse("applications:list"))
    assert bob_list.context["page_obj"].paginator.count == 0


def test_leo_cannot_start_an_application_for_lenas_group(world, year, as_user):
    assert as_user(world.leo).get(reverse("applications:new", args=[world.g2.pk])).status_code == 404
    assert as_user(world.carl).get(reverse("applications:new", args=[world.g1.pk])).status_code == 403


# --- Steps through the page ------------------------------------------------------------------


def test_only_the_allowed_buttons_are_shown(world, apps, as_user):
    pk = apps["leo"].pk
    url = reverse("applications:detail", args=[pk])
    names = {
        p: [s.name for s in as_user(getattr(world, p)).get(url).context["steps"]] for p in ("leo", "carl", "alice")
    }
    assert names == {"leo": ["withdraw"], "carl": ["endorse", "return_by_committee"], "alice": []}


def test_a_forbidden_step_is_explained_and_changes_nothing(world, apps, as_user):
    pk = apps["leo"].pk
    response = as_user(world.leo).post(
        reverse("applications:step", args=[pk, "endorse"]), {"state": State.SUBMITTED}, follow=True
    )
    assert any("this step is for its" in m for m in _messages(response))
    assert Application.objects.get(pk=pk).state == State.SUBMITTED


def test_a_stale_click_is_explained(world, apps, as_user):
    pk = apps["leo"].pk
    client = as_user(world.carl)
    client.post(reverse("applications:step", args=[pk, "endorse"]), {"state": State.SUBMITTED})
    # The same page, clicked again (e.g. a second tab): it still says "submitted".
    response = client.post(
        reverse("applications:step", args=[pk, "return_by_committee"]),
        {"state": State.SUBMITTED, "note": "x"},
        follow=True,
    )
    assert any("changed while you were looking" in m for m in _messages(response))
    application = Application.objects.get(pk=pk)
    assert application.state == State.ENDORSED
    assert application.transitions.count() == 1


def test_return_needs_a_reason_on_the_page(world, apps, as_user):
    pk = apps["leo"].pk
    response = as_user(world.carl).post(
        reverse("applications:step", args=[pk, "return_by_committee"]), {"state": State.SUBMITTED}, follow=True
    )
    assert any("reason" in m for m in _messages(response))
    assert Application.objects.get(pk=pk).state == State.SUBMITTED


def test_submit_outside_the_window_is_refused_on_the_page(world, as_user):
    today = timezone.localdate()
    year = make_year(
        world.street,
        window_opens=today - datetime.timedelta(days=60),
        window_closes=today - datetime.timedelta(days=1),
    )
    application = make_application(world, year)
    response = as_user(world.leo).post(
        reverse("applications:step", args=[application.pk, "submit"]), {"state": State.DRAFT}, follow=True
    )
    assert any(year.window_closes.isoformat() in m for m in _messages(response))
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_submit_below_the_consent_minimum_is_refused_on_the_page(world, year, as_user):
    application = make_application(world, year, agreed=7)  # 7 of 12 < 2/3
    response = as_user(world.leo).post(
        reverse("applications:step", args=[application.pk, "submit"]), {"state": State.DRAFT}, follow=True
    )
    assert any("7 of 12" in m and "8" in m for m in _messages(response))
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


# --- The leader's draft ----------------------------------------------------------------------


def test_leader_writes_a_draft_with_budget(world, year, as_user):
    client = as_user(world.leo)
    response = client.post(
        reverse("applications:new", args=[world.g1.pk]),
        {
            "theme": year.street.themes.first().pk,
            "title": "百草园",
            "plan": "种花",
            "convention": "公约",
            "households_agreed": 9,
        },
    )
    application = Application.objects.get(group=world.g1)
    assert response.url == reverse("applications:edit", args=[application.pk])
    client.post(
        reverse("applications:budget_add", args=[application.pk]),
        {"item": "油漆", "quantity": "3", "unit_price": "66.60"},
    )
    page = client.get(application.get_absolute_url())
    assert page.context["budget_total"] == Decimal("199.80")
    assert "¥199.80" in page.content.decode()
    # A second draft for the same group and year goes to the first one.
    again = client.get(reverse("applications:new", args=[world.g1.pk]))
    assert again.url == application.get_absolute_url()


def test_a_budget_line_too_large_for_its_column_is_explained_not_a_500(world, year, as_user):
    application = make_application(world, year)
    url = reverse("applications:budget_add", args=[application.pk])
    # Both fields within their own limits, but the product would overflow the total column.
    response = as_user(world.leo).post(url, {"item": "油漆", "quantity": "99999999.99", "unit_price": "9999999999.99"})
    assert response.status_code == 400
    errors = response.context["budget_form"].non_field_errors()
    assert errors == [
        "A budget line can come to at most ¥9,999,999.99 (quantity × unit price); this one comes to "
        "¥999,999,999,899,000,000.00. Please check the quantity and the unit price."
    ]
    assert "data-budget-errors" in response.content.decode()
    assert not BudgetItem.objects.filter(application=application).exists()
    # At the cap exactly, a line is accepted.
    response = as_user(world.leo).post(url, {"item": "整修", "quantity": "1", "unit_price": "9999999.99"})
    assert response.status_code == 302
    assert BudgetItem.objects.get(application=application).total == Decimal("9999999.99")


def test_the_applications_whole_budget_is_capped_in_the_service(world, year, as_user):
    application = make_application(world, year)
    with translation.override("en"):
        application_budget_item_add(
            application=application, actor=world.leo, item="墙面", quantity=Decimal(2), unit_price=Decimal("3000000")
        )
        with pytest.raises(ValidationError) as refused:
            application_budget_item_add(
                application=application, actor=world.leo, item="灯", quantity=Decimal(4), unit_price=Decimal("1000000")
            )
        assert refused.value.messages == [
            "An application's budget can come to at most ¥9,999,999.99; it is ¥6,000,000.00, and with this line "
            "(¥4,000,000.00) it would be ¥10,000,000.00."
        ]
        # The service alone (as an import or the admin would call it) refuses an oversized line too.
        with pytest.raises(ValidationError, match="can come to at most"):
            application_budget_item_add(
                application=application,
                actor=world.leo,
                item="x",
                quantity=Decimal("99999999.99"),
                unit_price=Decimal("9999999999.99"),
            )
    # Through the page, the refusal is shown on the form.
    response = as_user(world.leo).post(
        reverse("applications:budget_add", args=[application.pk]),
        {"item": "灯", "quantity": "4", "unit_price": "1000000"},
    )
    assert response.status_code == 400
    assert "it would be ¥10,000,000.00" in response.content.decode()
    assert BudgetItem.objects.filter(application=application).count() == 1


def test_a_submitted_application_cannot_be_edited(world, apps, as_user):
    pk = apps["leo"].pk
    response = as_user(world.leo).get(reverse("applications:edit", args=[pk]))
    assert response.status_code == 302
    assert as_user(world.carl).get(reverse("applications:edit", args=[pk])).status_code == 403
    response = as_user(world.leo).post(
        reverse("applications:budget_add", args=[pk]), {"item": "x", "quantity": "1", "unit_price": "1"}
    )
    assert response.status_code == 403


def test_printable_form_has_an_opinion_box_per_tier(world, apps, as_user):
    response = as_user(world.alice).get(reverse("applications:print", args=[apps["leo"].pk]))
    assert response.content.decode().count("data-opinion-box") == 3


# --- Lists: query counts, filters, export ------------------------------------------------


FILL_STATES = (State.SUBMITTED, State.ENDORSED, State.RETURNED)


def _fill(world, year, count):
    """``count`` applications, in turn submitted, endorsed and returned by the committee;
    the first three in N1 (carl's), then three in N2, and so on, so that at both sizes the
    committee's queue and the street's home have rows in every part."""
    for i in range(count):
        n, committee = (world.n1, world.carl) if (i // 3) % 2 == 0 else (world.n2, world.cindy)
        group = f.BuildingGroupFactory(building__compound__neighbourhood=n)
        leader = f.UserFactory()
        role_assign(user=leader, role=Role.LEADER, street=world.street, building_group=group)
        application = make_application(world, year, group=group, leader=leader, title=f"楼组{i}")
        application_budget_item_add(
            application=application, actor=leader, item="油漆", quantity=Decimal(2), unit_price=Decimal("10.05")
        )
        application_submit(application=application, actor=leader)
        state = FILL_STATES[i % 3]
        if state == State.ENDORSED:
            application_endorse(application=application, actor=committee)
        elif state == State.RETURNED:
            application_return_by_committee(application=application, actor=committee, note="请补充预算")


# The rows each page must show at both sizes, so the measure covers its loops.
ROWS = {
    "applications:list": lambda c: len(c["page_obj"]),
    "applications:queue": lambda c: min(len(c["waiting"]), len(c["page_obj"])),
    "inbox:list": lambda c: len(c["page_obj"]),
    "home": lambda c: len(c["committee_to_endorse"]) if "committee_to_endorse" in c else len(c["staff_to_approve"]),
}


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("alice", "applications:list"),
        ("alice", "applications:export"),
        ("carl", "applications:queue"),
        ("carl", "inbox:list"),
        ("carl", "home"),
        ("alice", "home"),
    ],
)
def test_list_query_counts_do_not_grow(world, year, as_user, count_queries, persona, url):
    client = as_user(getattr(world, persona))
    responses = []

    def get(path):
        responses.append(client.get(path))
        return responses[-1]

    _fill(world, year, 3)
    small = count_queries(get, reverse(url))
    response = responses[-1]
    if url in ROWS:
        assert ROWS[url](response.context) > 0
    _fill(world, year, 27)
    large = count_queries(get, reverse(url))
    response = responses[-1]
    if url in ROWS:
        assert ROWS[url](response.context) > 0
    assert small == large
    if url == "applications:queue":
        states = {a.state for a in response.context["page_obj"]}
        assert {State.ENDORSED, State.RETURNED} <= states


def test_list_filters_search_and_sort(world, year, apps, as_user):
    client = as_user(world.alice)
    url = reverse("applications:list")
    by_n2 = client.get(url, {"neighbourhood": world.n2.pk})
    assert [a.title for a in by_n2.context["page_obj"]] == ["二号楼组"]
    found = client.get(url, {"q": "一号"})
    assert [a.title for a in found.context["page_obj"]] == ["一号楼组"]
    none = client.get(url, {"state": State.APPROVED})
    assert list(none.context["page_obj"]) == []
    this_year = client.get(url, {"year": year.year, "sort": "title"})
    assert [a.title for a in this_year.context["page_obj"]] == ["一号楼组", "二号楼组"]
    assert client.get(url, {"sort": "-title"}).context["page_obj"][0].title == "二号楼组"


def _export_rows(client, **filters):
    response = client.get(reverse("applications:export"), filters)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_is_a_workbook_with_the_filtered_rows(world, year, apps, as_user):
    BudgetItem.objects.create(application=apps["lena"], item="油漆", quantity=Decimal(3), unit_price=Decimal("0.10"))
    client = as_user(world.alice)
    header, row = _export_rows(client, neighbourhood=world.n1.pk)
    assert len(header) == 13
    with translation.override("en"):  # the language the export was made in
        assert (row[0], row[4], row[5], row[7]) == (year.year, world.g1.name, "一号楼组", str(State.SUBMITTED.label))
    assert (row[8], row[9], Decimal(str(row[10]))) == (12, 12, Decimal("0"))
    _header, lena_row = _export_rows(client, q="二号")
    assert Decimal(str(lena_row[10])) == Decimal("0.30")
    assert len(_export_rows(as_user(world.bob))) == 1  # another street: the header only


# --- Inbox and home ----------------------------------------------------------------------------


def test_inbox_counts_unread_and_marks_read(world, year, as_user):
    application = make_application(world, year)
    application_submit(application=application, actor=world.leo)
    client = as_user(world.carl)
    home = client.get(reverse("home"))
    assert 'data-unread="1"' in home.content.decode()
    notification = Notification.objects.get(recipient=world.carl)
    response = client.post(reverse("inbox:open", args=[notification.pk]))
    assert response.url == application.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-unread="0"' in client.get(reverse("home")).content.decode()
    # Someone else's notification is not found.
    assert as_user(world.cindy).post(reverse("inbox:open", args=[notification.pk])).status_code == 404


def test_home_shows_each_role_what_is_next(world, year, as_user):
    leo_home = as_user(world.leo).get(reverse("home")).content.decode()
    assert reverse("applications:new", args=[world.g1.pk]) in leo_home
    application = make_application(world, year)
    application_submit(application=application, actor=world.leo)
    carl_home = as_user(world.carl).get(reverse("home"))
    assert [a.pk for a in carl_home.context["committee_to_endorse"]] == [application.pk]
    assert list(as_user(world.cindy).get(reverse("home")).context["committee_to_endorse"]) == []
    assert list(as_user(world.alice).get(reverse("home")).context["staff_to_approve"]) == []
    leo_home = as_user(world.leo).get(reverse("home"))
    assert leo_home.context["leader_applications"][0]["application"] == application
    assert "data-next-step" in leo_home.content.decode()
    # The year after the title: " (2026)" in English, full-width "（2026）" in Chinese.
    assert f"</a> ({year.year})" in leo_home.content.decode()
    client = as_user(world.leo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(reverse("home")).content.decode()
    assert f"</a>（{year.year}）" in chinese and f"({year.year})" not in chinese


def test_a_superuser_sees_everything_but_writes_no_groups_application(world, year, as_user):
    application = make_application(world, year)
    admin = f.UserFactory(username="root", is_superuser=True)
    client = as_user(admin)
    assert client.get(application.get_absolute_url()).context["can_edit"] is False
    assert client.get(reverse("applications:edit", args=[application.pk])).status_code == 403


def test_saving_the_same_convention_posted_with_crlf_adds_no_version(world, year, as_user):
    client = as_user(world.leo)
    data = {
        "theme": year.street.themes.first().pk,
        "title": "百草园",
        "plan": "种花",
        "convention": "第一条：不堆放杂物。\n第二条：轮流打扫。",
        "households_agreed": 9,
    }
    client.post(reverse("applications:new", args=[world.g1.pk]), data)
    application = Application.objects.get(group=world.g1)
    edit = reverse("applications:edit", args=[application.pk])
    # A browser posts the unchanged textarea back with \r\n line ends.
    data["convention"] = "第一条：不堆放杂物。\r\n第二条：轮流打扫。\r\n"
    for _ in range(2):
        assert client.post(edit, data).status_code == 302
    versions = list(application.convention_versions.values_list("text", flat=True))
    assert versions == ["第一条：不堆放杂物。\n第二条：轮流打扫。"]
    client.post(edit, {**data, "convention": data["convention"] + "第三条：爱护绿植。"})
    assert application.convention_versions.count() == 2


def test_the_leaders_step_buttons_say_what_they_do(world, year, as_user):
    application = make_application(world, year)
    body = as_user(world.leo).get(application.get_absolute_url()).content.decode()
    assert "Submit to the residents' committee" in body
    withdraw = body[body.index('data-step="withdraw"') :]
    withdraw = withdraw[: withdraw.index("</form>")]
    assert "Withdraw this application" in withdraw and "data-confirm=" in withdraw


def test_after_approving_the_street_goes_back_to_the_endorsed_list(world, apps, as_user):
    application = apps["leo"]
    client = as_user(world.alice)
    assert "data-back-to-endorsed" not in client.get(application.get_absolute_url()).content.decode()
    application_endorse(application=application, actor=world.carl)
    client.post(reverse("applications:step", args=[application.pk, "approve"]), {"state": State.ENDORSED})
    assert Application.objects.get(pk=application.pk).state == State.APPROVED
    body = client.get(application.get_absolute_url()).content.decode()
    assert f'href="{reverse("applications:list")}?state=endorsed"' in body
    assert "data-back-to-endorsed" not in as_user(world.leo).get(application.get_absolute_url()).content.decode()


def test_the_committee_home_offers_no_empty_endorse_button(world, apps, as_user):
    assert "data-to-endorse" in as_user(world.carl).get(reverse("home")).content.decode()
    application_endorse(application=apps["leo"], actor=world.carl)
    body = as_user(world.carl).get(reverse("home")).content.decode()
    assert 'data-home-applications="committee"' in body and "data-to-endorse" not in body
