"""Every URL pattern of the site, as every persona, with objects inside and outside their scope.

The walk goes over ``config.urls`` itself (the resolver), so a pattern added later that this file
does not know makes ``test_every_url_pattern_is_registered`` fail: register it in ``OBJECT_PAGES``
(it names an object), ``PLAIN_PAGES`` (no object: checked for answering and for what it shows to
the anonymous) or ``EXCLUDED`` (with the reason).

For a page about an object, a persona outside the object's scope gets exactly what an id that does
not exist gets (404, or 403 when the persona may not use that page for any object; the sign-in page
for the anonymous) and none of its content; a persona inside gets the page (GET: 200 with the
object's marker; POST: anything but 403/404, rolled back). Who sees what is written out here by
hand from DESIGN.md ("Who uses it"), not read from the selectors, so removing a scope filter
(``applications_for_user``, ``campaigns_for_user``, ``requests_for_user``...) makes it fail.

One test per app's objects (each builds its world once and walks every persona in it): the
corridors objects (``tests/corridors/test_object_scope.py:things``), the funds objects
(``tests/funds/test_object_scope.py:ours``) and the consultations objects
(``tests/consultations/test_object_scope.py:scene``).
"""

from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from common.uploads import process_image
from corridors.models import BudgetItem, RoleAssignment, SketchImage
from corridors.services.gallery import activity_photo_add
from corridors.services.signups import signup_create
from tests.consultations import conftest as consultations_conftest
from tests.consultations import test_object_scope as consultations_scope
from tests.consultations.test_object_scope import fetch, page_text
from tests.corridors import test_object_scope as corridors_scope
from tests.corridors.test_gallery import upload
from tests.funds import test_object_scope as funds_scope

pytestmark = pytest.mark.django_db

# The three apps' object-scope worlds, as fixtures of this module too.
things = corridors_scope.things
ours = funds_scope.ours
scene = consultations_scope.scene
cw = consultations_conftest.cw

MISSING = 999_999
PERSONAS = ["anon", "nobody", "rita", "leo", "lena", "carl", "cindy", "alice", "fay", "otto", "bob"]
# District (区) users: dora oversees the world's district (both streets), xavier another district.
# Inside their streets pages open read-only (a change is refused: 403 with the reason); out of
# their district everything answers like a missing id.
OVERSEERS = ["dora", "xavier"]


@pytest.fixture
def overseers(world):
    return consultations_scope.overseers(world)


# --- Corridors: url name -> (kind of object, method) -------------------------------------------
CORRIDORS_PAGES = {
    "applications:detail": ("application", "get"),
    "applications:edit": ("application", "get"),
    "applications:print": ("application", "get"),
    "applications:budget_add": ("application", "post"),
    "applications:budget_remove": ("budget_item", "post"),
    "applications:sketch_add": ("application", "post"),
    "applications:sketch_remove": ("sketch", "post"),
    "applications:progress_photo_add": ("application", "post"),
    "applications:step": ("application_step", "post"),
    "applications:new": ("group", "get"),
    "places:group": ("group", "get"),
    "places:group_edit": ("group", "get"),
    "places:group_activate": ("group", "post"),
    "places:group_deactivate": ("group", "post"),
    "places:document": ("document", "get"),
    "files:document": ("document", "get"),
    "files:photo_add": ("group", "get"),
    "files:document_add": ("group", "get"),
    "files:photo_delete": ("group_photo", "get"),
    "gallery:group": ("group", "get"),
    "gallery:work_add": ("group", "get"),
    "gallery:activity_add": ("group", "get"),
    "gallery:work": ("work", "get"),
    "gallery:work_edit": ("work", "get"),
    "gallery:work_image_add": ("work", "get"),
    "gallery:work_image_file": ("work_image", "get"),
    "gallery:work_image_delete": ("work_image", "post"),
    "gallery:work_publish": ("work", "post"),
    "gallery:work_unpublish": ("work", "post"),
    "gallery:work_hide": ("work", "get"),
    "gallery:work_unhide": ("work", "post"),
    "gallery:work_delete": ("work", "get"),
    "gallery:activity": ("activity", "get"),
    "gallery:activity_edit": ("activity", "get"),
    "gallery:activity_attendance": ("activity", "post"),
    "gallery:activity_photo_add": ("activity", "get"),
    "gallery:activity_photo_delete": ("activity_photo", "post"),
    "gallery:activity_delete": ("activity", "get"),
    "gallery:activity_signups": ("activity", "get"),
    "gallery:activity_signup_reveal": ("signup", "get"),
    "places:neighbourhood": ("neighbourhood", "get"),
    "places:neighbourhood_edit": ("neighbourhood", "get"),
    "places:import": ("neighbourhood", "get"),
    "places:compound_create": ("neighbourhood", "get"),
    "places:compound_edit": ("compound", "get"),
    "places:building_create": ("compound", "get"),
    "places:building_edit": ("building", "get"),
    "places:group_create": ("building", "get"),
    "places:department_edit": ("department", "get"),
    "places:street_import": ("street", "get"),
    "programme:year_edit": ("year", "get"),
    "programme:theme_add": ("street", "post"),
    "programme:reminders": ("street", "get"),
    "programme:theme_rename": ("theme", "post"),
    "programme:theme_toggle": ("theme", "post"),
    "people:detail": ("account", "get"),
    "people:password": ("account", "get"),
    "people:deactivate": ("account", "post"),
    "people:reactivate": ("account", "post"),
    "people:role_add": ("account", "post"),
    "people:role_remove": ("role", "post"),
    "people:second_factor_reset": ("account", "post"),
    "inbox:open": ("notification", "post"),
}
# Who sees a corridors object at all, by the group it belongs to (g1 in N1, g2 in N2 of our
# street; g3 in the other street, led by kim).
GROUP_SEES = {"g1": {"alice", "carl", "leo"}, "g2": {"alice", "cindy", "lena"}, "g3": {"bob", "kim"}}
PLACE_SEES = {"g1": {"alice", "carl"}, "g2": {"alice", "cindy"}, "g3": {"bob"}}
STREET_SEES = {"g1": {"alice"}, "g2": {"alice"}, "g3": {"bob"}}
CORRIDORS_SEES = {
    **dict.fromkeys(
        [
            "application",
            "application_step",
            "budget_item",
            "sketch",
            "group",
            "document",
            "group_photo",
            "work",
            "work_image",
            "activity",
            "activity_photo",
            "signup",
        ],
        GROUP_SEES,
    ),
    **dict.fromkeys(["neighbourhood", "compound", "building"], PLACE_SEES),
    **dict.fromkeys(["year", "theme", "street", "account", "role"], STREET_SEES),
    # The housing department's officer sees their department (and may not edit it: 403).
    "department": {"g1": {"alice", "otto"}, "g3": {"bob"}},
    "notification": {"g1": {"leo"}, "g2": {"lena"}, "g3": {"kim"}},
}
# The district user reads every street object of the district (a notification is its reader's
# own; a programme year's form is the street's set-up, not a read).
CORRIDORS_SEES = {
    kind: {key: who | {"dora"} for key, who in by_key.items()} if kind not in ("notification", "year") else by_key
    for kind, by_key in CORRIDORS_SEES.items()
}
# What a GET inside the scope must show (the markers are in the objects' names).
CORRIDORS_MARKERS = {
    "application": "申报{key}标记",
    "group": "楼组{key}标记",
    "work": "作品{key}标记",
    "activity": "活动{key}标记",
}

# --- Pages with no object: they must answer, and the anonymous are sent to sign in -------------
PUBLIC = {"healthz", "readyz", "text_size", "set_language", "login", "public:home", "public:gallery"}
PLAIN_PAGES = {
    "home",
    "inbox:list",
    "inbox:read_all",
    "inbox:preferences",
    "applications:list",
    "applications:export",
    "applications:queue",
    "places:list",
    "places:neighbourhood_create",
    "places:import_template",
    "places:street_import_template",
    "districts:setup",
    "search",
    "dashboards:dashboard",
    "dashboards:year_end",
    "dashboards:year_end_xlsx",
    "jobs:list",
    "places:groups",
    "places:groups_export",
    "places:departments",
    "places:department_create",
    "people:list",
    "people:export",
    "people:create",
    "people:person_data",
    "gallery:index",
    "programme:home",
    "programme:year_create",
    "privacy:access_log",
    "audit:list",
    "second_factor",
    "second_factor_enrol",
    "recovery_codes",
    "logout",
    "password_change",
    "password_change_done",
    *PUBLIC,
    *(f"funds:{name}" for name in funds_scope.LIST_URLS + ["create"]),
    *(f"consultations:{name}" for name in consultations_scope.LIST_PAGES),
}
# Deliberately not walked here, with the reason.
EXCLUDED = {
    "admin:": "the Django admin: the superuser's alone (staff flag), no street scope; tests/corridors/test_admin*",
    "public:": "public pages show only what is published, to everyone; tests/corridors/test_public_pages.py",
    "public_media": "published pictures, served by name to everyone (the storage's public bucket)",
    "consultations:board": "a lobby screen of ticket numbers, open by design; tests/consultations/test_board.py",
    "?": "the old inbox address, a redirect to inbox:list",
    "applications:picture": "an application's private pictures by kind and size; out of scope answers like a "
    "missing id in tests/corridors/test_object_scope.py",
    "applications:picture_discard": "an application's broken picture by kind, deleted by its uploader; out of "
    "scope answers like a missing id in tests/corridors/test_picture_processing.py",
    "dashboards:export": "one figure's table by its name (no object): the same scope as the dashboard; "
    "tests/dashboards/",
    "jobs:retry": "a queued job, the superuser's alone; tests/jobs/",
    "districts:appointment_remove": "an appointment, on the superuser's setup pages alone (403 for everyone else); "
    "tests/corridors/test_district_removals.py",
    "districts:oversight_remove": "a district or city user, on the superuser's setup pages alone; "
    "tests/corridors/test_district_removals.py",
    "districts:street_remove": "a street, on the superuser's setup pages alone; "
    "tests/corridors/test_district_removals.py",
    "jobs:export": "an export is looked up among the reader's own requests only; tests/jobs/",
    "jobs:export_download": "an export is looked up among the reader's own finished requests only; tests/jobs/",
}


def _patterns(resolver=None, namespace=""):
    """Every URL pattern of the site, as (name with its namespaces, route)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or '?'}", str(pattern.pattern)


def _excluded(name: str) -> bool:
    return any(name == key or (key.endswith(":") and name.startswith(key)) for key in EXCLUDED)


def _object_pages():
    pages = {name: (kind, method) for name, (kind, method) in CORRIDORS_PAGES.items()}
    pages.update({f"funds:{name}": (kind, method) for name, (kind, _extra, method) in funds_scope.OBJECT_URLS.items()})
    pages.update(
        {
            f"consultations:{name}": (kind, method)
            for name, (kind, method, _e) in consultations_scope.OBJECT_PAGES.items()
        }
    )
    return pages


def test_every_url_pattern_is_registered():
    """A new URL must be put in one of the tables above (or excluded with a reason)."""
    known = set(_object_pages()) | PLAIN_PAGES
    unknown = sorted(name for name, _route in _patterns() if name not in known and not _excluded(name))
    assert not unknown, f"URL patterns this walk does not know: {unknown}"
    stale = sorted(known - {name for name, _route in _patterns()})
    assert not stale, f"registered but gone: {stale}"


def _walk(client, people, objects, sees, markers, pages, extra_args, marked=None):
    """The failures of every object page as every persona (see the module's docstring)."""
    failures = []
    opened = set()
    marked = set(pages) if marked is None else marked
    for persona in people:
        client.logout()
        if people.get(persona) is not None:
            client.force_login(people[persona])
        for name, (kind, method) in pages.items():
            extra = extra_args.get(name, [])
            missing = None
            for label, args in objects[kind].items():
                if persona in sees[kind][label]:
                    pass
                elif missing is None:
                    missing = fetch(client, method, reverse(name, args=[*[MISSING] * len(args), *extra]))
                response = fetch(client, method, reverse(name, args=[*args, *extra]))
                marker = markers.get((kind, label)) if name in marked else None
                text = page_text(response)
                where = f"{persona}: {name} of {label}"
                if persona in sees[kind][label]:
                    # Found; the persona's role may still refuse the page (403, with the reason):
                    # who may take which step is the permission tables' business (tests/*/rules/).
                    if response.status_code == 404:
                        failures.append(f"{where}: 404 inside the scope")
                    elif response.status_code in (200, 302):
                        opened.add((name, label))
                        if method == "get" and marker and response.status_code == 200 and marker not in text:
                            failures.append(f"{where}: its content is missing")
                    continue
                if persona == "anon" and name not in ANSWERS_THE_ANONYMOUS:
                    if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
                        failures.append(f"{where}: {response.status_code}, not sent to sign in")
                elif response.status_code not in (403, 404) or response.status_code != missing.status_code:
                    failures.append(f"{where}: {response.status_code}, a missing id gets {missing.status_code}")
                if marker and marker in text:
                    failures.append(f"{where}: its content shows outside the scope")
    # Inside the scope, someone opens each page on each object (a walk of refusals proves nothing).
    for name, (kind, method) in pages.items():
        for label in objects[kind]:
            if method == "get" and sees[kind][label] and (name, label) not in opened:
                failures.append(f"nobody who sees {label} could open {name}")
    return failures


def test_corridors_object_pages_as_every_persona(world, things, client, overseers):
    people = {name: getattr(world, name, None) for name in PERSONAS} | {"kim": things["kim"]} | overseers
    keys = {"g1": things["g1"], "g2": things["g2"], "g3": things["g3"]}
    objects = {kind: {} for kind in CORRIDORS_SEES}
    for key, t in keys.items():
        application = t["application"]
        leader = {"g1": world.leo, "g2": world.lena, "g3": things["kim"]}[key]
        item = BudgetItem.objects.create(
            application=application, item="油漆", quantity=Decimal("1"), unit_price=Decimal("10.00")
        )
        sketch = SketchImage(application=application, alt_text="效果图", uploaded_by=leader)
        sketch.set_processed(process_image(upload()))
        sketch.save()
        photo = activity_photo_add(activity=t["activity"], image=process_image(upload()), alt_text="合影", by=leader)
        objects["application"][key] = [application.pk]
        objects["application_step"][key] = [application.pk]
        objects["budget_item"][key] = [application.pk, item.pk]
        objects["sketch"][key] = [application.pk, sketch.pk]
        objects["group"][key] = [t["group"].pk]
        objects["document"][key] = [t["document"].pk]
        objects["group_photo"][key] = [t["group"].pk, t["photo"].pk]
        objects["work"][key] = [t["work"].pk]
        objects["work_image"][key] = [t["work"].pk, t["image"].pk]
        objects["activity"][key] = [t["activity"].pk]
        objects["activity_photo"][key] = [t["activity"].pk, photo.pk]
        signup, _code = signup_create(activity=t["activity"], name="王秀英", phone="13812345678", consent=True)
        objects["signup"][key] = [t["activity"].pk, signup.pk]
        objects["neighbourhood"][key] = [t["neighbourhood"].pk]
        objects["compound"][key] = [t["compound"].pk]
        objects["building"][key] = [t["building"].pk]
        objects["notification"][key] = [t["notification"].pk]
    for key, street in (("g1", "our"), ("g3", "other")):
        account = world.leo if key == "g1" else things["kim"]
        objects["department"][key] = [things["department"][street].pk]
        objects["year"][key] = [things["years"][street].pk]
        objects["theme"][key] = [things["theme"][street].pk]
        objects["street"][key] = [things["years"][street].street_id]
        objects["account"][key] = [account.pk]
        objects["role"][key] = [account.pk, RoleAssignment.objects.get(user=account).pk]
    sees = {kind: {label: by_key[label] for label in objects[kind]} for kind, by_key in CORRIDORS_SEES.items()}
    markers = {
        (kind, key): marker.format(key=key) for kind, marker in CORRIDORS_MARKERS.items() for key in objects[kind]
    }
    extra = {"applications:step": ["withdraw"]}
    failures = _walk(client, people, objects, sees, markers, CORRIDORS_PAGES, extra)
    assert not failures, "\n".join(failures)


# --- Funds: our street's objects (g1 in N1), walked by people of another street (bob), another
# neighbourhood (cindy) and another group (lena) too. Who sees them (DESIGN.md §4): a campaign,
# its street's staff, its neighbourhood's committee and representatives and the leaders of its
# building's groups; a check, the group's street staff, committee and leader; an award and its
# ledger, those and the street's finance approvers; a payout, the street's staff and finance.
FUNDS_SEES = {
    **dict.fromkeys(["campaign", "member", "unit", "consent", "payment"], {"alice", "carl", "rita", "leo"}),
    **dict.fromkeys(["application", "check"], {"alice", "carl", "leo"}),
    **dict.fromkeys(["award", "ledger_entry"], {"alice", "fay", "carl", "leo"}),
    **dict.fromkeys(["payout", "receipt"], {"alice", "fay"}),
    # A notice not yet published: its managers only (then everyone, without signing in).
    "notice": {"alice", "carl"},
}
# The district user reads every funds object of its streets (and is refused every change).
FUNDS_SEES = {kind: who | {"dora"} for kind, who in FUNDS_SEES.items()}
FUNDS_MARKERS = {"campaign": funds_scope.PURPOSE}
# The campaign's public notice answers the anonymous too (404 until it is published).
ANSWERS_THE_ANONYMOUS = {"funds:notice"}


def test_funds_object_pages_as_every_persona(world, ours, client, overseers):
    people = {name: getattr(world, name, None) for name in PERSONAS} | overseers
    objects = {kind: {"ours": [ours["campaign" if kind == "notice" else kind].pk]} for kind in FUNDS_SEES}
    sees = {kind: {"ours": who} for kind, who in FUNDS_SEES.items()}
    markers = {(kind, "ours"): marker for kind, marker in FUNDS_MARKERS.items()}
    pages = {f"funds:{name}": (kind, method) for name, (kind, _extra, method) in funds_scope.OBJECT_URLS.items()}
    extra = {f"funds:{name}": extra for name, (_kind, extra, _method) in funds_scope.OBJECT_URLS.items()}
    pages["funds:notice"] = ("notice", "get")
    # A check's photo file needs a photo of the check, which this world has not.
    del pages["funds:check_photo_file"]
    del pages["funds:check_photo_discard"]
    marked = {"funds:campaign", "funds:edit", "funds:notice"}
    failures = _walk(client, people, objects, sees, markers, pages, extra, marked)
    assert not failures, "\n".join(failures)


def test_consultations_object_pages_as_every_persona(scene, client):
    sees = consultations_scope.SEES
    objects = {kind: {label: [obj.pk] for label, obj in by_label.items()} for kind, by_label in scene.objects.items()}
    markers = {
        (kind, label): scene.markers[label] for kind in objects for label in objects[kind] if label in scene.markers
    }
    pages = {
        f"consultations:{name}": (kind, method) for name, (kind, method, _e) in consultations_scope.OBJECT_PAGES.items()
    }
    extra = {f"consultations:{name}": e for name, (_k, _m, e) in consultations_scope.OBJECT_PAGES.items()}
    people = dict(scene.people)
    failures = _walk(
        client, people, objects, {k: {lb: sees[lb] for lb in objects[k]} for k in objects}, markers, pages, extra
    )
    assert not failures, "\n".join(failures)


# Pages with no object that answer a GET by the anonymous with something else than the sign-in.
ANONYMOUS_ANSWERS = {
    **dict.fromkeys(PUBLIC, {200, 302}),
    "logout": {405},  # POST only
    "text_size": {405},
    "second_factor": {302},  # back to the sign-in's first step
    "second_factor_enrol": {302},
    "consultations:public_board": {200},
}


def test_pages_without_an_object_send_the_anonymous_to_sign_in_and_answer_everyone(world, client):
    failures = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anon":
            client.force_login(getattr(world, persona))
        for name in sorted(PLAIN_PAGES - {"logout", "set_language", "text_size"} if persona != "anon" else PLAIN_PAGES):
            response = client.get(reverse(name))
            if persona == "anon" and name in ANONYMOUS_ANSWERS:
                if response.status_code not in ANONYMOUS_ANSWERS[name]:
                    failures.append(f"anon: {name}: {response.status_code}")
            elif persona == "anon":
                if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
                    failures.append(f"anon: {name}: {response.status_code}, not sent to sign in")
            elif response.status_code >= 500:
                failures.append(f"{persona}: {name}: {response.status_code}")
    assert not failures, "\n".join(failures)
