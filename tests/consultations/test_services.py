"""Every outcome path of a request and every step of a ticket, through the service functions.

A forbidden or stale step raises with the reason and changes nothing (no state change, no
history row).
"""

import datetime

import pytest
from django.utils import timezone

from common.refusals import Refused
from consultations.models import Channel, ConsultationRequest, RequestEvent, Ticket, TicketEvent
from consultations.services.requests import (
    request_accept,
    request_answer_on_spot,
    request_confirm,
    request_decline,
    request_refer,
    request_register_walk_in,
    request_reopen,
    request_resolve,
)
from consultations.services.tickets import (
    ticket_call_next,
    ticket_done,
    ticket_hold,
    ticket_issue,
    ticket_no_show,
    ticket_resume,
    ticket_serve,
)
from consultations.workflows.request import RequestState
from consultations.workflows.ticket import TicketState
from corridors.models import Role
from corridors.services.people import role_assign
from tests import factories as f
from tests.consultations.conftest import file_request

pytestmark = pytest.mark.django_db

S = RequestState
SOON = timezone.localdate() + datetime.timedelta(days=14)


def history(request):
    return list(RequestEvent.objects.filter(request=request).order_by("pk").values_list("action", "to_state"))


def test_filing_for_an_upcoming_conference_is_pre_filed_with_a_history_row(cw):
    r = file_request(cw, conference=cw.upcoming)
    assert r.channel == Channel.PRE_FILED and r.state == S.SUBMITTED and r.neighbourhood == cw.w.n1
    assert history(r) == [("file", S.SUBMITTED)]
    assert file_request(cw).channel == Channel.YEAR_ROUND


def test_filing_is_refused_outside_the_representatives_neighbourhood_and_for_a_past_conference(cw):
    with pytest.raises(Refused):
        file_request(cw, compound=cw.w.g2.building.compound, building=cw.w.g2.building)
    with pytest.raises(Refused):
        file_request(cw, conference=cw.past)
    with pytest.raises(Refused):
        file_request(cw, rep=cw.w.carl)
    with pytest.raises(Refused):
        file_request(cw, households=999)
    assert not ConsultationRequest.objects.exists()


def test_answered_on_the_spot_closes_it(cw):
    r = file_request(cw, conference=cw.upcoming)
    request_answer_on_spot(actor=cw.w.otto, request=r, answer="下周检修。", expected_state=S.SUBMITTED)
    r.refresh_from_db()
    assert r.state == S.ANSWERED and r.resolution == "下周检修。" and r.closed_at and r.resolved_at
    assert history(r)[-1] == ("answer_on_spot", S.ANSWERED)


def test_accept_resolve_confirm(cw):
    w = cw.w
    r = file_request(cw)
    request_accept(actor=w.otto, request=r, due_date=SOON)
    r.refresh_from_db()
    assert r.state == S.ACCEPTED and r.assigned_officer == w.otto and r.due_date == SOON and not r.is_overdue
    request_resolve(actor=w.otto, request=r, resolution="已更换电梯。", public_summary="已办结")
    request_confirm(actor=w.rita, request=r)
    r.refresh_from_db()
    assert r.state == S.CONFIRMED and r.closed_at and r.resolution == "已更换电梯。"
    assert [a for a, _ in history(r)] == ["file", "accept", "resolve", "confirm"]


def test_reopen_needs_a_reason_and_goes_back_to_the_department(cw):
    w = cw.w
    r = file_request(cw)
    request_accept(actor=w.alice, request=r, due_date=SOON, officer=w.otto)
    request_resolve(actor=w.otto, request=r, resolution="已修好。", public_summary="已办结")
    with pytest.raises(Refused):
        request_reopen(actor=w.rita, request=r, reason="  ")
    request_reopen(actor=w.rita, request=r, reason="又坏了。")
    r.refresh_from_db()
    assert r.state == S.REOPENED and r.resolved_at is None
    request_resolve(actor=w.otto, request=r, resolution="更换了主板。", public_summary="已办结")
    assert ConsultationRequest.objects.get(pk=r.pk).state == S.RESOLVED


def test_refer_moves_it_and_keeps_the_history(cw):
    w = cw.w
    r = file_request(cw)
    request_accept(actor=w.otto, request=r, due_date=SOON)
    request_refer(actor=w.otto, request=r, department=cw.greening, note="属于绿化。")
    r.refresh_from_db()
    assert r.state == S.SUBMITTED and r.department == cw.greening and r.assigned_officer is None and r.due_date is None
    event = r.events.get(action="refer")
    assert (event.department_from, event.department_to) == (w.housing, cw.greening)
    # otto's department no longer holds it; olga's does.
    with pytest.raises(Refused):
        request_accept(actor=w.otto, request=r, due_date=SOON)
    request_accept(actor=cw.olga, request=r, due_date=SOON)
    assert [a for a, _ in history(r)] == ["file", "accept", "refer", "accept"]


def test_refer_to_the_same_or_another_streets_department_is_refused(cw):
    w = cw.w
    r = file_request(cw)
    with pytest.raises(Refused):
        request_refer(actor=w.otto, request=r, department=w.housing, note="x")
    with pytest.raises(Refused):
        request_refer(actor=w.otto, request=r, department=f.DepartmentFactory(street=w.other_street), note="x")
    assert history(r) == [("file", S.SUBMITTED)]


def test_decline_needs_a_reason(cw):
    r = file_request(cw)
    with pytest.raises(Refused):
        request_decline(actor=cw.w.otto, request=r, reason="")
    request_decline(actor=cw.w.otto, request=r, reason="不属于公共部位。")
    r.refresh_from_db()
    assert r.state == S.DECLINED and r.decline_reason == "不属于公共部位。" and r.closed_at


@pytest.mark.parametrize(
    ("who", "step"),
    [
        ("rita", "accept"),  # a representative does not answer their own request
        ("olga", "accept"),  # another department
        ("bob", "accept"),  # another street
        ("carl", "decline"),  # committee: no role on requests
        ("otto", "confirm"),  # only the representative confirms
    ],
)
def test_forbidden_steps_change_nothing(cw, who, step):
    w = cw.w
    r = file_request(cw)
    if step == "confirm":
        request_accept(actor=w.otto, request=r, due_date=SOON)
        request_resolve(actor=w.otto, request=r, resolution="好了。", public_summary="已办结")
    before = history(r)
    actor = getattr(w, who, None) or getattr(cw, who)
    calls = {
        "accept": lambda: request_accept(actor=actor, request=r, due_date=SOON, officer=w.otto),
        "decline": lambda: request_decline(actor=actor, request=r, reason="no"),
        "confirm": lambda: request_confirm(actor=actor, request=r),
    }
    with pytest.raises(Refused) as refused:
        calls[step]()
    assert refused.value.reason
    assert history(r) == before


def test_a_stale_click_is_refused_with_the_current_state(cw):
    r = file_request(cw)
    request_accept(actor=cw.w.otto, request=r, due_date=SOON)
    with pytest.raises(Refused) as refused:
        request_answer_on_spot(actor=cw.w.otto, request=r, answer="ok", expected_state=S.SUBMITTED)
    assert "Accepted for follow-up" in refused.value.reason or "受理" in refused.value.reason


def test_accept_checks_the_officer_and_the_due_date(cw):
    w = cw.w
    r = file_request(cw)
    with pytest.raises(Refused):
        request_accept(actor=w.alice, request=r, due_date=SOON)  # staff must name the officer
    with pytest.raises(Refused):
        request_accept(actor=w.alice, request=r, due_date=SOON, officer=cw.olga)  # not housing's
    with pytest.raises(Refused):
        request_accept(actor=w.otto, request=r, due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert ConsultationRequest.objects.get(pk=r.pk).state == S.SUBMITTED


def test_overdue_is_a_follow_up_past_its_due_date(cw):
    r = file_request(cw)
    request_accept(actor=cw.w.otto, request=r, due_date=SOON)
    ConsultationRequest.objects.filter(pk=r.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert list(ConsultationRequest.objects.overdue()) == [r]
    assert ConsultationRequest.objects.with_overdue().get(pk=r.pk).is_overdue


# --- Tickets ---------------------------------------------------------------------------------


def make_reps(cw, n):
    reps = []
    for i in range(n):
        rep = f.UserFactory(username=f"rep{i}", full_name=f"代表{i}")
        role_assign(user=rep, role=Role.REPRESENTATIVE, street=cw.w.street, neighbourhood=cw.w.n1)
        reps.append(rep)
    return reps


def test_tickets_are_sequential_per_stall_and_one_live_per_representative(cw):
    w = cw.w
    a, b = make_reps(cw, 2)
    assert ticket_issue(actor=w.otto, stall=cw.stall, representative=a).number == 1
    assert ticket_issue(actor=w.alice, stall=cw.stall, representative=b).number == 2
    # Another stall counts on its own.
    assert ticket_issue(actor=cw.olga, stall=cw.green_stall, representative=a).number == 1
    with pytest.raises(Refused):
        ticket_issue(actor=w.otto, stall=cw.stall, representative=a)
    with pytest.raises(Refused):
        ticket_issue(actor=cw.olga, stall=cw.stall, representative=w.rita)  # not olga's stall
    with pytest.raises(Refused):
        ticket_issue(actor=w.otto, stall=cw.stall, representative=w.carl)  # not a representative
    assert Ticket.objects.filter(stall=cw.stall).count() == 2


def test_a_ticket_can_point_to_the_representatives_pre_filed_request(cw):
    w = cw.w
    r = file_request(cw, conference=cw.upcoming)
    ticket = ticket_issue(actor=w.otto, stall=cw.stall, representative=w.rita, request=r)
    assert ticket.request == r
    other = file_request(cw, department=cw.greening)
    with pytest.raises(Refused):
        ticket_issue(actor=cw.olga, stall=cw.green_stall, representative=w.rita, request=r)
    assert other.pk


def test_call_next_takes_the_lowest_waiting_number(cw):
    w = cw.w
    a, b, c = make_reps(cw, 3)
    t1 = ticket_issue(actor=w.otto, stall=cw.stall, representative=a)
    t2 = ticket_issue(actor=w.otto, stall=cw.stall, representative=b)
    t3 = ticket_issue(actor=w.otto, stall=cw.stall, representative=c)
    ticket_hold(actor=w.otto, ticket=t1)
    called = ticket_call_next(actor=w.otto, stall=cw.stall)
    assert called.pk == t2.pk and called.state == TicketState.CALLED and called.called_at
    ticket_no_show(actor=w.otto, ticket=called)
    ticket_resume(actor=w.otto, ticket=t1)
    assert ticket_call_next(actor=w.otto, stall=cw.stall).pk == t1.pk
    ticket_serve(actor=w.otto, ticket=t1)
    ticket_done(actor=w.otto, ticket=t1)
    assert ticket_call_next(actor=w.otto, stall=cw.stall).pk == t3.pk
    with pytest.raises(Refused):
        ticket_call_next(actor=w.otto, stall=cw.stall)
    states = dict(Ticket.objects.values_list("number", "state"))
    assert states == {1: TicketState.DONE, 2: TicketState.NO_SHOW, 3: TicketState.CALLED}
    assert TicketEvent.objects.filter(ticket=t1).count() == 6  # issue, hold, resume, call, serve, done


def test_ticket_steps_out_of_order_or_stale_change_nothing(cw):
    w = cw.w
    (a,) = make_reps(cw, 1)
    ticket = ticket_issue(actor=w.otto, stall=cw.stall, representative=a)
    with pytest.raises(Refused):
        ticket_serve(actor=w.otto, ticket=ticket)  # not called yet
    with pytest.raises(Refused):
        ticket_hold(actor=w.otto, ticket=ticket, expected_state=TicketState.CALLED)
    with pytest.raises(Refused):
        ticket_hold(actor=cw.olga, ticket=ticket)  # not olga's stall
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.WAITING
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1


def test_a_walk_in_is_registered_at_the_stall_and_linked_to_the_live_ticket(cw):
    w = cw.w
    ticket = ticket_issue(actor=w.otto, stall=cw.stall, representative=w.rita)
    r = request_register_walk_in(
        actor=w.otto,
        stall=cw.stall,
        representative=w.rita,
        compound=w.g1.building.compound,
        building=None,
        households=3,
        category=cw.garbage,
        title="垃圾桶太少",
        text="希望增加垃圾桶。",
    )
    assert r.channel == Channel.WALK_IN and r.conference == cw.upcoming and r.department == w.housing
    assert r.registered_by == w.otto and r.representative == w.rita
    assert Ticket.objects.get(pk=ticket.pk).request == r
    with pytest.raises(Refused):
        request_register_walk_in(
            actor=w.otto, stall=cw.stall, representative=w.carl, compound=w.g1.building.compound, building=None,
            households=1, category=cw.garbage, title="x", text="x",
        )  # fmt: skip


def test_no_tickets_at_a_past_conferences_stall(cw, as_user):
    from django.urls import reverse

    from consultations.models import Stall

    old_stall = Stall.objects.create(conference=cw.past, department=cw.w.housing)
    with pytest.raises(Refused, match=cw.past.name):
        ticket_issue(actor=cw.w.otto, stall=old_stall, representative=cw.w.rita)
    response = as_user(cw.w.otto).post(
        reverse("consultations:check_in", args=[old_stall.pk]), {"representative": cw.w.rita.pk}, follow=True
    )
    assert response.status_code == 200 and cw.past.name in response.content.decode()
    assert not Ticket.objects.exists()
    # On the conference's own day numbers are given.
    Conference = type(cw.past)
    Conference.objects.filter(pk=cw.past.pk).update(date=timezone.localdate())
    old_stall.refresh_from_db()
    assert ticket_issue(actor=cw.w.otto, stall=old_stall, representative=cw.w.rita).number == 1
