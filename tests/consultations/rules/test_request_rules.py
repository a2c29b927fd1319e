"""Who may take which step on a request, in which state: every role × every state × every action.

The expected answers are written out below by hand, from DESIGN.md §3, not read from
``consultations.workflows.request``: giving a step to one more role, or opening it in one
more state, makes this test fail. Every answer is found by calling the real service as that
person on a request brought to that state by the real services; a refusal must carry a
reason and change nothing, and a step taken must write its history row (who, from, to, why).
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.refusals import Refused
from consultations.models import Attachment, ConsultationRequest, RequestEvent
from consultations.services.attachments import attachment_add
from consultations.services.requests import (
    request_accept,
    request_answer_on_spot,
    request_confirm,
    request_decline,
    request_file,
    request_file_on_behalf,
    request_refer,
    request_reopen,
    request_resolve,
)
from tests.consultations.conftest import file_request
from tests.consultations.rules.conftest import ROLES, Undo, expected_column, fresh

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=14)
STATES = ["submitted", "answered", "accepted", "declined", "resolved", "confirmed", "reopened"]
ACTIONS = ["answer_on_spot", "accept", "refer", "decline", "resolve", "confirm", "reopen", "attach"]

# Y: the step is taken. ".": refused with a reason, nothing changes.
#                     submitted answered accepted declined resolved confirmed reopened
NOTHING = {
    "answer_on_spot": ".         .        .        .        .        .         .",
    "accept":         ".         .        .        .        .        .         .",
    "refer":          ".         .        .        .        .        .         .",
    "decline":        ".         .        .        .        .        .         .",
    "resolve":        ".         .        .        .        .        .         .",
    "confirm":        ".         .        .        .        .        .         .",
    "reopen":         ".         .        .        .        .        .         .",
    "attach":         ".         .        .        .        .        .         .",
}  # fmt: skip
EXPECTED = {
    "its representative": {
        "answer_on_spot": ".         .        .        .        .        .         .",
        "accept":         ".         .        .        .        .        .         .",
        "refer":          ".         .        .        .        .        .         .",
        "decline":        ".         .        .        .        .        .         .",
        "resolve":        ".         .        .        .        .        .         .",
        "confirm":        ".         .        .        .        Y        .         .",
        "reopen":         ".         .        .        .        Y        .         .",
        "attach":         "Y         .        Y        .        Y        .         Y",
    },
    "another representative": NOTHING,
    "officer of its department": {
        "answer_on_spot": "Y         .        .        .        .        .         .",
        "accept":         "Y         .        .        .        .        .         .",
        "refer":          "Y         .        Y        .        .        .         Y",
        "decline":        "Y         .        Y        .        .        .         Y",
        "resolve":        ".         .        Y        .        .        .         Y",
        "confirm":        ".         .        .        .        .        .         .",
        "reopen":         ".         .        .        .        .        .         .",
        "attach":         "Y         .        Y        .        Y        .         Y",
    },
    "officer of another department": NOTHING,
    "staff of its street": {
        "answer_on_spot": "Y         .        .        .        .        .         .",
        "accept":         "Y         .        .        .        .        .         .",
        "refer":          "Y         .        Y        .        .        .         Y",
        "decline":        "Y         .        Y        .        .        .         Y",
        "resolve":        ".         .        Y        .        .        .         Y",
        "confirm":        ".         .        .        .        .        .         .",
        "reopen":         ".         .        .        .        .        .         .",
        "attach":         "Y         .        Y        .        Y        .         Y",
    },
    "staff of another street": NOTHING,
    # Reads the request and files on a representative's behalf (below), takes no step.
    "committee of its neighbourhood": NOTHING,
    "finance": NOTHING,
    "leader": NOTHING,
    "nobody": NOTHING,
}  # fmt: skip
# Where each step leads (attaching a file changes no state).
TARGET = {
    "answer_on_spot": "answered",
    "accept": "accepted",
    "refer": "submitted",
    "decline": "declined",
    "resolve": "resolved",
    "confirm": "confirmed",
    "reopen": "reopened",
}
REASON = "理由：居民的说明。"

# Who opens the request's page at all (anyone else: not found).
READS = {
    "its representative": 200,
    "another representative": 404,
    "officer of its department": 200,
    "officer of another department": 404,
    "staff of its street": 200,
    "staff of another street": 404,
    "committee of its neighbourhood": 200,
    "finance": 404,
    "leader": 404,
    "nobody": 404,
}
# Who may file a request for rita's compound: as its representative, or on her behalf.
FILES = {
    #                                  own   on behalf
    "its representative":             ("Y", "."),
    "another representative":         ("Y", "."),
    "officer of its department":      (".", "."),
    "officer of another department":  (".", "."),
    "staff of its street":            (".", "."),
    "staff of another street":        (".", "."),
    "committee of its neighbourhood": (".", "Y"),
    "finance":                        (".", "."),
    "leader":                         (".", "."),
    "nobody":                         (".", "."),
}  # fmt: skip


def request_in(cw, state: str) -> ConsultationRequest:
    """A request of rita's for the housing department, brought to ``state`` by the real services."""
    w = cw.w
    r = file_request(cw)
    if state == "answered":
        request_answer_on_spot(actor=w.otto, request=r, answer="下周检修。")
    elif state == "declined":
        request_decline(actor=w.otto, request=r, reason="不属于公共部位。")
    elif state in ("accepted", "resolved", "confirmed", "reopened"):
        request_accept(actor=w.otto, request=r, due_date=SOON)
        if state != "accepted":
            request_resolve(actor=w.otto, request=r, resolution="已修好。", public_summary="已办结")
        if state == "confirmed":
            request_confirm(actor=w.rita, request=r)
        elif state == "reopened":
            request_reopen(actor=w.rita, request=r, reason="又坏了。")
    r.refresh_from_db()
    assert r.state == state
    return r


def step(action: str, actor, r: ConsultationRequest, cw):
    calls = {
        "answer_on_spot": lambda: request_answer_on_spot(actor=actor, request=r, answer=REASON),
        "accept": lambda: request_accept(actor=actor, request=r, due_date=SOON, officer=cw.w.otto, note=REASON),
        "refer": lambda: request_refer(actor=actor, request=r, department=cw.greening, note=REASON),
        "decline": lambda: request_decline(actor=actor, request=r, reason=REASON),
        "resolve": lambda: request_resolve(actor=actor, request=r, resolution=REASON, public_summary="已办结"),
        "confirm": lambda: request_confirm(actor=actor, request=r, note=REASON),
        "reopen": lambda: request_reopen(actor=actor, request=r, reason=REASON),
        "attach": lambda: attachment_add(
            actor=actor, request=r, kind="pdf", content=ContentFile(b"%PDF-1.4\n%%EOF\n", name="x.pdf")
        ),
    }
    return calls[action]()


def attempt(action: str, user, r: ConsultationRequest, cw) -> str:
    state, events, files = r.state, r.events.count(), r.attachments.count()
    try:
        with transaction.atomic():
            actor = fresh(user)
            try:
                step(action, actor, r, cw)
            except Refused as refused:
                assert refused.reason.strip(), (action, user)
                after = ConsultationRequest.objects.get(pk=r.pk)
                assert (after.state, after.events.count(), after.attachments.count()) == (state, events, files)
                return "."
            after = ConsultationRequest.objects.get(pk=r.pk)
            if action == "attach":
                assert after.state == state and Attachment.objects.filter(request=r, uploaded_by=actor).count() == 1
            else:
                assert after.state == TARGET[action]
                event = RequestEvent.objects.filter(request=r).latest("pk")
                assert after.events.count() == events + 1
                assert (event.actor, event.action, event.from_state, event.to_state, event.note) == (
                    actor,
                    action,
                    state,
                    TARGET[action],
                    REASON,
                )
                assert event.created_at
            raise Undo
    except Undo:
        return "Y"


@pytest.mark.parametrize("state", STATES)
def test_who_may_take_which_step_in_each_state(cw, personas, state):
    r = request_in(cw, state)
    found = {role: {a: attempt(a, personas[role], r, cw) for a in ACTIONS} for role in ROLES}
    assert found == expected_column(EXPECTED, STATES, state, ACTIONS)


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_request(cw, personas, client, role):
    r = file_request(cw, title="电梯经常停运的诉求")
    client.force_login(personas[role])
    response = client.get(reverse("consultations:request", args=[r.pk]))
    assert response.status_code == READS[role]
    assert ("电梯经常停运的诉求" in response.content.decode()) == (READS[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_who_files_a_request_for_the_neighbourhood(cw, personas, role):
    w = cw.w
    fields = {
        "compound": w.g1.building.compound,
        "building": w.g1.building,
        "households": 3,
        "category": cw.elevator,
        "title": "楼道灯不亮",
        "text": "三楼楼道灯坏了。",
        "department": w.housing,
    }
    found = []
    for call in (
        lambda actor: request_file(actor=actor, **fields),
        lambda actor: request_file_on_behalf(actor=actor, representative=w.rita, **fields),
    ):
        try:
            with transaction.atomic():
                call(fresh(personas[role]))
                raise Undo
        except Undo:
            found.append("Y")
        except Refused as refused:
            assert refused.reason.strip()
            found.append(".")
    assert tuple(found) == FILES[role]
    assert not ConsultationRequest.objects.filter(title="楼道灯不亮").exists()
