"""Pages: who sees what, the public board's anonymity, query budgets, the .xlsx export."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.models import ConsultationRequest, Ticket
from consultations.services.requests import request_accept, request_answer_on_spot, request_confirm, request_resolve
from consultations.services.tickets import ticket_issue
from consultations.workflows.request import RequestState
from tests.consultations.conftest import file_request, fresh, suggested

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=14)


def resolved_and_confirmed(cw, **kwargs):
    r = file_request(cw, **kwargs)
    otto = fresh(cw.w.otto) if r.department == cw.w.housing else fresh(cw.olga)
    request_accept(actor=otto, request=r, due_date=SOON)
    request_resolve(actor=otto, request=r, resolution="已处理，联系人赵刚 13912345678。", public_summary=suggested(r))
    request_confirm(actor=fresh(r.representative), request=r)
    r.refresh_from_db()
    return r


# --- Scope ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "housing", "greening"),
    [
        ("rita", 200, 200),  # her own requests, whatever the department
        ("otto", 200, 404),  # housing officer
        ("olga", 404, 200),  # greening officer
        ("alice", 200, 200),  # street staff
        ("bob", 404, 404),  # another street
        ("carl", 200, 200),  # residents' committee of N1, where both requests come from: reads them
        ("cindy", 404, 404),  # residents' committee of N2
        ("nobody", 404, 404),
    ],
)
def test_who_sees_which_request(cw, as_user, who, housing, greening):
    mine = file_request(cw)
    green = file_request(cw, department=cw.greening, title="绿地")
    user = getattr(cw.w, who, None) or getattr(cw, who)
    client = as_user(user)
    assert client.get(reverse("consultations:request", args=[mine.pk])).status_code == housing
    assert client.get(reverse("consultations:request", args=[green.pk])).status_code == greening


def test_a_representative_sees_only_their_own_requests(cw, as_user):
    from corridors.models import Role
    from corridors.services.people import role_assign
    from tests import factories as f

    other = f.UserFactory(username="rosa", full_name="罗莎")
    role_assign(user=other, role=Role.REPRESENTATIVE, street=cw.w.street, neighbourhood=cw.w.n1)
    theirs = file_request(cw, rep=other, title="别人的诉求")
    mine = file_request(cw, title="我的诉求")
    client = as_user(cw.w.rita)
    page = client.get(reverse("consultations:mine")).content.decode()
    assert "我的诉求" in page and "别人的诉求" not in page
    assert client.get(reverse("consultations:request", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("consultations:request", args=[mine.pk])).status_code == 200


def test_officer_follow_ups_list_only_their_department_with_overdue_first(cw, as_user):
    late = file_request(cw, title="逾期的诉求")
    request_accept(actor=cw.w.otto, request=late, due_date=SOON)
    ConsultationRequest.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    file_request(cw, title="新的诉求")
    file_request(cw, department=cw.greening, title="绿化的诉求")
    page = as_user(cw.w.otto).get(reverse("consultations:follow_ups")).content.decode()
    assert "绿化的诉求" not in page
    assert page.index("逾期的诉求") < page.index("新的诉求")
    assert "data-overdue" in page and 'class="table-danger"' in page


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("otto", 403), ("rita", 403), ("bob", 200), ("nobody", 403)]
)
def test_the_street_overview_is_for_street_staff(cw, as_user, who, status):
    file_request(cw, title="四平路的诉求")
    response = as_user(getattr(cw.w, who)).get(reverse("consultations:overview"))
    assert response.status_code == status
    if who == "bob":
        assert "四平路的诉求" not in response.content.decode()


def _filed_on(request, day: datetime.date, hour: int = 9, **places):
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    ConsultationRequest.objects.filter(pk=request.pk).update(created_at=when, **places)


def test_the_overview_offers_every_year_from_the_streets_first_request_to_its_last(cw, as_user):
    """The year filter runs from the oldest request of the reader's streets to the newest (two
    index reads, not a sort of every request); another street's older request adds no year."""
    _filed_on(file_request(cw, title="二三年的诉求"), datetime.date(2023, 1, 1), hour=5)
    _filed_on(file_request(cw, title="二五年的诉求"), datetime.date(2025, 12, 31))
    other = cw.w.g_other.building
    _filed_on(
        file_request(cw, title="控江的旧诉求"),
        datetime.date(2019, 6, 1),
        neighbourhood=other.compound.neighbourhood,
        compound=other.compound,
        building=other,
    )
    response = as_user(cw.w.alice).get(reverse("consultations:overview"))
    years = [value for value, _label in response.context["form"].fields["year"].choices if value]
    assert years == [2025, 2024, 2023]
    # 1 January 2023 at 05:00 in Shanghai (31 December 2022 in UTC) counts as 2023: local years.
    page = as_user(cw.w.alice).get(reverse("consultations:overview"), {"year": 2023}).content.decode()
    assert "二三年的诉求" in page and "二五年的诉求" not in page


def test_stalls_are_seen_by_their_department_and_the_street(cw, as_user):
    url = reverse("consultations:stall", args=[cw.stall.pk])
    assert as_user(cw.w.otto).get(url).status_code == 200
    assert as_user(cw.w.alice).get(url).status_code == 200
    for user in (cw.olga, cw.w.bob, cw.w.rita, cw.w.nobody):
        assert as_user(user).get(url).status_code == 404


def test_attachments_are_private_to_those_who_see_the_request(cw, as_user):
    from django.core.files.base import ContentFile

    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="x.pdf")
    r = file_request(cw, attachments=[("pdf", pdf)])
    attachment = r.attachments.get()
    url = reverse("consultations:attachment", args=[attachment.pk])
    assert as_user(cw.w.rita).get(url).status_code == 200
    assert as_user(cw.w.otto).get(url).status_code == 200
    assert as_user(cw.olga).get(url).status_code == 404
    assert as_user(cw.w.bob).get(url).status_code == 404


# --- Steps through the pages ---------------------------------------------------------------------


def test_accept_and_stale_click_through_the_page(cw, as_user):
    r = file_request(cw)
    client = as_user(cw.w.otto)
    url = reverse("consultations:request_step", args=[r.pk, "accept"])
    response = client.post(url, {"state": "submitted", "due_date": SOON.isoformat(), "note": ""})
    assert response.status_code == 302
    assert ConsultationRequest.objects.get(pk=r.pk).state == RequestState.ACCEPTED
    # The same click again (the page still said "submitted"): refused with the reason, nothing changes.
    response = client.post(url, {"state": "submitted", "due_date": SOON.isoformat()}, follow=True)
    assert r.events.count() == 2
    assert "alert-danger" in response.content.decode() or "error" in response.content.decode()


def test_stall_check_in_call_next_and_the_board(cw, as_user):
    r = file_request(cw, conference=cw.upcoming, title="预登记的诉求")
    client = as_user(cw.w.otto)
    stall_url = reverse("consultations:stall", args=[cw.stall.pk])
    page = client.get(stall_url).content.decode()
    assert f'data-check-in="{r.pk}"' in page
    client.post(
        reverse("consultations:check_in", args=[cw.stall.pk]), {"representative": cw.w.rita.pk, "request": r.pk}
    )
    ticket = Ticket.objects.get(stall=cw.stall)
    assert ticket.number == 1 and ticket.request == r
    client.post(reverse("consultations:call_next", args=[cw.stall.pk]))
    board = client.get(reverse("consultations:board", args=[cw.stall.pk])).content.decode()
    assert 'data-now-serving="1"' in board and "data-refresh-seconds" in board
    assert "rita" not in board and cw.w.rita.full_name not in board
    # The board is a lobby screen: it needs no sign-in.
    client.logout()
    assert client.get(reverse("consultations:board", args=[cw.stall.pk])).status_code == 200
    # The representative's phone view shows their number.
    queues = as_user(cw.w.rita).get(reverse("consultations:my_queues")).content.decode()
    assert 'data-ticket="1"' in queues and "data-called" in queues


def test_carried_over_items_are_listed_first_at_the_next_conference(cw, as_user):
    old = file_request(cw, title="去年未办结")
    request_accept(actor=cw.w.otto, request=old, due_date=SOON)
    ConsultationRequest.objects.filter(pk=old.pk).update(conference=cw.past)
    done = file_request(cw, title="去年已办结")
    request_answer_on_spot(actor=cw.w.otto, request=done, answer="ok")
    ConsultationRequest.objects.filter(pk=done.pk).update(conference=cw.past)
    file_request(cw, conference=cw.upcoming, title="今年预登记")
    page = as_user(cw.w.otto).get(reverse("consultations:stall", args=[cw.stall.pk])).content.decode()
    assert "data-carried-over" in page
    assert page.index("去年未办结") < page.index("data-queue") < page.index("今年预登记")
    assert "去年已办结" not in page


def test_conference_report_counts_and_days(cw, as_user):
    r = resolved_and_confirmed(cw)
    ConsultationRequest.objects.filter(pk=r.pk).update(
        conference=cw.past, created_at=r.resolved_at - datetime.timedelta(days=10)
    )
    file_request(cw, title="未办结")
    ConsultationRequest.objects.filter(title="未办结").update(conference=cw.past)
    response = as_user(cw.w.alice).get(reverse("consultations:report", args=[cw.past.pk]))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary["total"], summary["resolved"], summary["still_open"], summary["avg_days"]) == (2, 1, 1, 10.0)
    assert response.context["by_department"][0]["department__name"] == "房屋管理办事处"


# --- The public board ------------------------------------------------------------------------------


def test_the_public_board_shows_confirmed_requests_without_personal_data(cw, client):
    w = cw.w
    resolved_and_confirmed(cw, title="rita姓名家1201室电梯坏了 13812345678")
    file_request(cw, title="尚未办结的诉求")
    response = client.get(reverse("consultations:public_board"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "电梯坏了" in page and "尚未办结的诉求" not in page
    for personal in (w.rita.full_name, w.rita.phone, "13812345678", "1201", w.otto.full_name, "13912345678", "赵刚"):
        assert personal not in page, personal
    assert w.g1.building.compound.name in page


# --- Query budgets: the same number of queries at two data sizes -------------------------------------


def _grow(cw, n):
    for i in range(n):
        r = file_request(cw, title=f"诉求{i}", conference=cw.upcoming)
        if i % 2:
            request_accept(actor=cw.w.otto, request=r, due_date=SOON)


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("rita", "consultations:mine"),
        ("otto", "consultations:follow_ups"),
        ("alice", "consultations:overview"),
        ("otto", "consultations:conferences"),
    ],
)
def test_list_pages_do_not_query_per_row(cw, as_user, count_queries, who, name):
    client = as_user(getattr(cw.w, who))
    url = reverse(name)
    _grow(cw, 2)
    small = count_queries(client.get, url)
    _grow(cw, 6)
    assert count_queries(client.get, url) == small


def test_stall_page_and_public_board_do_not_query_per_row(cw, as_user, count_queries, client):
    from corridors.models import Role
    from corridors.services.people import role_assign
    from tests import factories as f

    def grow(start, n):
        _grow(cw, n)
        for i in range(start, start + n):
            rep = f.UserFactory(username=f"q{i}")
            role_assign(user=rep, role=Role.REPRESENTATIVE, street=cw.w.street, neighbourhood=cw.w.n1)
            ticket_issue(actor=cw.w.otto, stall=cw.stall, representative=rep)
            resolved_and_confirmed(cw, title=f"已办{i}")

    stall_url = reverse("consultations:stall", args=[cw.stall.pk])
    board_url = reverse("consultations:public_board")
    grow(0, 2)
    small_stall = count_queries(as_user(cw.w.otto).get, stall_url)
    client.logout()
    small_board = count_queries(client.get, board_url)
    grow(2, 5)
    assert count_queries(as_user(cw.w.otto).get, stall_url) == small_stall
    client.logout()
    assert count_queries(client.get, board_url) == small_board


# --- Export ------------------------------------------------------------------------------------------


def test_overview_exports_the_filtered_list_to_xlsx(cw, as_user):
    file_request(cw, title="电梯诉求")
    file_request(cw, title="垃圾诉求", category=cw.garbage)
    response = as_user(cw.w.alice).get(reverse("consultations:overview_export"), {"category": cw.garbage.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "垃圾诉求" in rows[1]
    assert as_user(cw.w.otto).get(reverse("consultations:overview_export")).status_code == 403


def test_pages_render_for_their_roles(cw, as_user):
    r = file_request(cw, conference=cw.upcoming)
    assert as_user(cw.w.rita).get(reverse("consultations:request_new")).status_code == 200
    assert as_user(cw.w.rita).get(reverse("consultations:index")).status_code == 302
    assert as_user(cw.w.otto).get(reverse("consultations:request", args=[r.pk])).status_code == 200
    assert as_user(cw.w.alice).get(reverse("consultations:conference", args=[cw.upcoming.pk])).status_code == 200
    assert as_user(cw.w.alice).get(reverse("consultations:conference_new")).status_code == 200
    assert as_user(cw.w.nobody).get(reverse("consultations:index")).status_code == 404


def test_home_page_section_for_representatives_and_officers(cw, as_user):
    r = file_request(cw)
    request_accept(actor=cw.w.otto, request=r, due_date=SOON)
    request_resolve(actor=cw.w.otto, request=r, resolution="好了。", public_summary="已办结")
    rep_page = as_user(cw.w.rita).get(reverse("home")).content.decode()
    assert "data-home-consultations" in rep_page and reverse("consultations:mine") in rep_page
    officer_page = as_user(cw.w.otto).get(reverse("home")).content.decode()
    assert reverse("consultations:follow_ups") in officer_page
    assert "data-home-consultations" not in as_user(cw.w.carl).get(reverse("home")).content.decode()


def test_carry_over_lists_every_earlier_conferences_open_items_and_year_round_ones(cw, as_user):
    from consultations.models import Conference

    today = timezone.localdate()
    older = Conference.objects.create(
        street=cw.w.street, name="2024年代表大会", date=today - datetime.timedelta(days=730), venue="大厅"
    )

    def at(conference, title, **kwargs):
        r = file_request(cw, title=title, **kwargs)
        ConsultationRequest.objects.filter(pk=r.pk).update(conference=conference)
        return r

    at(older, "前年未办结")
    at(cw.past, "去年未办结")
    request_accept(actor=cw.w.otto, request=at(older, "前年跟进中"), due_date=SOON)
    request_answer_on_spot(actor=cw.w.otto, request=at(older, "前年已答复"), answer="好。")
    at(older, "前年绿化", department=cw.greening)
    file_request(cw, title="平时未办结")
    late = file_request(cw, title="会后才提的")
    ConsultationRequest.objects.filter(pk=late.pk).update(created_at=timezone.now() + datetime.timedelta(days=25))
    file_request(cw, conference=cw.upcoming, title="今年预登记")

    response = as_user(cw.w.otto).get(reverse("consultations:stall", args=[cw.stall.pk]))
    carried = {r.title for r in response.context["carried_over"]}
    assert carried == {"前年未办结", "去年未办结", "前年跟进中", "平时未办结"}
    page = response.content.decode()
    assert page.index("前年未办结") < page.index("data-queue") < page.index("今年预登记")
    assert "前年已答复" not in page and "前年绿化" not in page and "会后才提的" not in page
    # Each carried-over item says where it came from.
    assert "2024年代表大会" in page and "data-origin" in page


def test_a_stall_with_nothing_to_carry_over_shows_no_such_section(cw, as_user):
    file_request(cw, conference=cw.upcoming, title="今年预登记")
    page = as_user(cw.w.otto).get(reverse("consultations:stall", args=[cw.stall.pk])).content.decode()
    assert "data-carried-over" not in page


def test_a_capped_count_says_more_than_not_a_wrong_exact_number(cw, as_user, monkeypatch):
    """The street's list counts at most COUNT_LIMIT requests: beyond it, "超过 N 件", not "N 件"."""
    from consultations.views import lists

    _grow(cw, 3)
    client = as_user(cw.w.alice)
    counted = ConsultationRequest.objects.count()
    assert f"{counted} 件诉求" in client.get(reverse("consultations:overview")).content.decode()
    monkeypatch.setattr(lists, "COUNT_LIMIT", 2)
    page = client.get(reverse("consultations:overview")).content.decode()
    assert "超过 2 件诉求：请用筛选条件缩小范围" in page
    assert "2 件诉求</p>" not in page.replace("\n", "").replace("    ", "")
