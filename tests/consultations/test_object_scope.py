"""Every URL of consultations, as every persona, with objects inside and outside their scope.

Pages about one object (a request, a file, a category, a conference, a stall, a ticket) answer
an object outside the persona's scope exactly as they answer an id that does not exist (404,
or 403 when the persona may not use that page for any object), and show none of its content;
inside the scope the page opens and shows it. Lists never show an object outside the scope.
Who sees what is written out below by hand (DESIGN.md §3), not read from the selectors.
"""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations import urls
from consultations.models import Conference, Stall
from consultations.services.categories import category_add, category_ensure_defaults
from consultations.services.requests import request_file
from consultations.services.terms import representative_term_add
from consultations.services.tickets import ticket_issue
from corridors.models import Role
from corridors.services.people import role_assign
from tests import factories as f
from tests.consultations.conftest import fresh

pytestmark = pytest.mark.django_db

# dora: a district user of 杨浦区 (both streets, read-only); xavier: a district user of another district.
PERSONAS = [
    "anon", "rita", "ren", "otto", "olga", "alice", "bob", "carl", "cindy", "fay", "leo", "nobody", "dora", "xavier",
]  # fmt: skip
# What a district user reads: every request, conference, stall and queue of its streets (no file
# of a resident's, no category page: those are the department's and the street office's).
DISTRICT_READS = {
    "rita's request", "ren's request", "other street's request", "our conference", "other street's conference",
    "housing stall", "greening stall", "other street's stall", "ticket at the housing stall",
    "ticket at the other street's stall",
}  # fmt: skip
MISSING = 999_999

# Who sees each object at all (everyone else: "not found").
SEES = {
    # rita's request from N1 to the housing department (otto's), with her photo.
    "rita's request": {"rita", "otto", "alice", "carl"},
    # ren's request from N2 to the greening department (olga's).
    "ren's request": {"ren", "olga", "alice", "cindy"},
    # ruth's request in the other street (bob's).
    "other street's request": {"bob"},
    # The committee reads the request but opens only files it added itself.
    "rita's file": {"rita", "otto", "alice"},
    "other street's file": {"bob"},
    "our category": {"alice"},
    "other street's category": {"bob"},
    # Officers see their street's conferences.
    "our conference": {"alice", "otto", "olga"},
    "other street's conference": {"bob"},
    "housing stall": {"otto", "alice"},
    "greening stall": {"olga", "alice"},
    "other street's stall": {"bob"},
    "ticket at the housing stall": {"otto", "alice"},
    "ticket at the other street's stall": {"bob"},
}
SEES = {label: who | {"dora"} if label in DISTRICT_READS else who for label, who in SEES.items()}
# Pages about one object: url name -> (kind of object, method, extra url arguments).
OBJECT_PAGES = {
    "request": ("request", "get", []),
    "request_step": ("request", "post", ["decline"]),
    "attachment_upload": ("request", "post", []),
    "attachment": ("file", "get", []),
    "category_rename": ("category", "post", []),
    "category_active": ("category", "post", []),
    "conference": ("conference", "get", []),
    "report": ("conference", "get", []),
    "report_export": ("conference", "get", []),
    "stall": ("stall", "get", []),
    "check_in": ("stall", "post", []),
    "walk_in": ("stall", "post", []),
    "call_next": ("stall", "post", []),
    "ticket_step": ("ticket", "post", ["hold"]),
}
# A lobby screen with numbers only: open to anyone by design (tested in test_board.py).
PUBLIC_OBJECT_PAGES = {"board"}
LIST_PAGES = [
    "index",
    "public_board",
    "mine",
    "request_new",
    "my_queues",
    "follow_ups",
    "overview",
    "overview_export",
    "neighbourhood",
    "request_on_behalf",
    "categories",
    "representatives",
    "conferences",
    "conference_new",
]
# What each street's pages may say only to that street's people.
OUR_STREET_ONLY = ["四平路专用类别", "2026年代表大会", "四平第四届", "房屋管理办事处", "rita姓名"]
OTHER_STREET_ONLY = ["控江专用类别", "控江路第一次代表大会", "控江第一届", "控江房管所", "控江代表露丝"]


@pytest.fixture
def scene(cw):
    """Two streets' worth of consultations: requests, files, categories, conferences, stalls, tickets."""
    w = cw.w
    today = timezone.localdate()
    ren = f.UserFactory(username="ren", full_name="任代表")
    role_assign(user=ren, role=Role.REPRESENTATIVE, street=w.street, neighbourhood=w.n2)
    # The other street: its department, officer, representative, categories, conference, stall.
    other_housing = f.DepartmentFactory(street=w.other_street, name="控江房管所")
    oscar = f.UserFactory(username="oscar", full_name="控江干部")
    role_assign(user=oscar, role=Role.OFFICER, street=w.other_street, department=other_housing)
    ruth = f.UserFactory(username="ruth", full_name="控江代表露丝")
    role_assign(user=ruth, role=Role.REPRESENTATIVE, street=w.other_street, neighbourhood=w.n_other)
    category_ensure_defaults(street=w.other_street)
    other_category = category_add(actor=w.bob, street=w.other_street, name="控江专用类别")
    our_category = category_add(actor=w.alice, street=w.street, name="四平路专用类别")
    other_conference = Conference.objects.create(
        street=w.other_street, name="控江路第一次代表大会", date=today + datetime.timedelta(days=10), venue="大厅"
    )
    other_stall = Stall.objects.create(conference=other_conference, department=other_housing)
    for actor, rep, neighbourhood, term in (
        (w.alice, w.rita, w.n1, "四平第四届"),
        (w.bob, ruth, w.n_other, "控江第一届"),
    ):
        representative_term_add(
            actor=actor,
            representative=rep,
            neighbourhood=neighbourhood,
            term=term,
            starts_on=today - datetime.timedelta(days=100),
            ends_on=today + datetime.timedelta(days=1000),
        )

    def pdf():
        return ("pdf", ContentFile(b"%PDF-1.4\n%%EOF\n", name="x.pdf"))

    def request(actor, group, department, title, **kwargs):
        return request_file(
            actor=fresh(actor),
            compound=group.building.compound,
            building=group.building,
            households=2,
            category=kwargs.pop("category"),
            title=title,
            text=f"{title}的详细说明",
            department=department,
            **kwargs,
        )

    ritas = request(w.rita, w.g1, w.housing, "甲-丽塔诉求", category=cw.elevator, attachments=[pdf()])
    rens = request(ren, w.g2, cw.greening, "乙-绿化诉求", category=cw.garbage)
    others = request(ruth, w.g_other, other_housing, "丙-控江诉求", category=other_category, attachments=[pdf()])
    ours_ticket = ticket_issue(actor=w.otto, stall=cw.stall, representative=w.rita)
    other_ticket = ticket_issue(actor=fresh(w.bob), stall=other_stall, representative=ruth)
    people = {name: getattr(w, name, None) for name in PERSONAS}
    people.update(ren=ren, olga=cw.olga, anon=None, **overseers(w))
    objects = {
        "request": {"rita's request": ritas, "ren's request": rens, "other street's request": others},
        "file": {"rita's file": ritas.attachments.get(), "other street's file": others.attachments.get()},
        "category": {"our category": our_category, "other street's category": other_category},
        "conference": {"our conference": cw.upcoming, "other street's conference": other_conference},
        "stall": {"housing stall": cw.stall, "greening stall": cw.green_stall, "other street's stall": other_stall},
        "ticket": {"ticket at the housing stall": ours_ticket, "ticket at the other street's stall": other_ticket},
    }
    markers = {
        "rita's request": "甲-丽塔诉求",
        "ren's request": "乙-绿化诉求",
        "other street's request": "丙-控江诉求",
        "our conference": "2026年代表大会",
        "other street's conference": "控江路第一次代表大会",
        "housing stall": "房屋管理办事处",
        "greening stall": "绿化市容所",
        "other street's stall": "控江房管所",
    }
    return SimpleNamespace(people=people, objects=objects, markers=markers)


def overseers(w) -> dict:
    """dora, a district user of the world's district (both streets); xavier, of another district."""
    from corridors.models import District, Oversight

    dora = f.UserFactory(username="dora", full_name="dora姓名")
    Oversight.objects.create(user=dora, district=w.street.district)
    elsewhere = District.objects.create(name="浦东新区")
    f.StreetFactory(name="陆家嘴街道", district=elsewhere)
    xavier = f.UserFactory(username="xavier", full_name="xavier姓名")
    Oversight.objects.create(user=xavier, district=elsewhere)
    return {"dora": dora, "xavier": xavier}


class Undo(Exception):
    """Rolls back whatever an allowed POST did, so every persona meets the same objects."""


def fetch(client, method, url):
    if method == "get":
        return client.get(url)
    try:
        with transaction.atomic():
            response = client.post(url, {})
            raise Undo
    except Undo:
        return response


def sign_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(fresh(user))


def page_text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode(errors="replace")


def test_every_url_pattern_is_walked():
    walked = set(OBJECT_PAGES) | PUBLIC_OBJECT_PAGES | set(LIST_PAGES)
    assert walked == {p.name for p in urls.urlpatterns}


@pytest.mark.parametrize("persona", PERSONAS)
def test_object_pages_answer_out_of_scope_objects_like_missing_ones(scene, client, persona):
    sign_in(client, scene.people[persona])
    failures = []
    for name, (kind, method, extra) in OBJECT_PAGES.items():
        missing = fetch(client, method, reverse(f"consultations:{name}", args=[MISSING, *extra])).status_code
        for label, obj in scene.objects[kind].items():
            response = fetch(client, method, reverse(f"consultations:{name}", args=[obj.pk, *extra]))
            marker = scene.markers.get(label)
            text = page_text(response)
            if persona in SEES[label] and persona == "dora" and method == "post":
                # The district user reads, and every change is refused with the reason.
                if response.status_code != 403:
                    failures.append(f"{name} {label}: {response.status_code}, not refused to a district user")
            elif persona in SEES[label]:
                if response.status_code in (403, 404):
                    failures.append(f"{name} {label}: {response.status_code} inside the scope")
                elif method == "get" and response.status_code != 200:
                    failures.append(f"{name} {label}: {response.status_code}")
                elif method == "get" and marker and marker not in text:
                    failures.append(f"{name} {label}: its content is missing")
            else:
                if response.status_code not in (302, 403, 404) or response.status_code != missing:
                    failures.append(f"{name} {label}: {response.status_code}, a missing id gets {missing}")
                if marker and marker in text:
                    failures.append(f"{name} {label}: its content shows outside the scope")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_show_nothing_outside_the_scope(scene, client, persona):
    sign_in(client, scene.people[persona])
    # A request is private to its scope; a conference's or department's name is not (the filing
    # form offers them), but never crosses to the other street.
    requests = ("rita's request", "ren's request", "other street's request")
    hidden = [scene.markers[label] for label in requests if persona not in SEES[label]]
    if persona not in ("bob", "dora"):
        hidden += OTHER_STREET_ONLY
    if persona in ("bob", "xavier"):
        hidden += OUR_STREET_ONLY
    failures = []
    for name in LIST_PAGES:
        response = client.get(reverse(f"consultations:{name}"))
        assert response.status_code in (200, 302, 403, 404), (name, response.status_code)
        text = page_text(response)
        failures += [f"{name}: shows {marker!r}" for marker in hidden if marker in text]
    assert not failures, "\n".join(failures)


def test_lists_do_show_what_is_inside_the_scope(scene, client):
    """The list test above would pass on empty pages: here each list shows its own people's objects."""
    shown = {
        ("rita", "mine"): ["甲-丽塔诉求", "四平第四届"],
        ("rita", "my_queues"): ["房屋管理办事处"],
        ("otto", "follow_ups"): ["甲-丽塔诉求"],
        ("olga", "follow_ups"): ["乙-绿化诉求"],
        ("alice", "overview"): ["甲-丽塔诉求", "乙-绿化诉求"],
        ("alice", "overview_export"): ["甲-丽塔诉求", "乙-绿化诉求"],
        ("alice", "categories"): ["四平路专用类别"],
        ("alice", "representatives"): ["四平第四届", "r*"],  # the representative masked
        ("otto", "conferences"): ["2026年代表大会"],
        ("carl", "neighbourhood"): ["甲-丽塔诉求"],
        ("cindy", "neighbourhood"): ["乙-绿化诉求"],
        ("bob", "overview"): ["丙-控江诉求"],
        ("bob", "categories"): ["控江专用类别"],
        ("bob", "conferences"): ["控江路第一次代表大会"],
        ("bob", "representatives"): ["控江第一届"],
        # The district user reads both streets (and changes nothing: tests/test_district_read_only.py).
        ("dora", "overview"): ["甲-丽塔诉求", "乙-绿化诉求", "丙-控江诉求"],
        ("dora", "overview_export"): ["甲-丽塔诉求", "乙-绿化诉求", "丙-控江诉求"],
        ("dora", "conferences"): ["2026年代表大会", "控江路第一次代表大会"],
    }
    for (persona, name), markers in shown.items():
        sign_in(client, scene.people[persona])
        response = client.get(reverse(f"consultations:{name}"))
        assert response.status_code == 200, (persona, name)
        text = page_text(response)
        assert all(marker in text for marker in markers), (persona, name, markers)
