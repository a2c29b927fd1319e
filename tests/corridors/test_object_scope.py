"""Nobody reaches an object outside their scope: every corridors detail page answers 404 for it
and no corridors list shows it; inside their scope they see it.

Each building group gets an application, a work, an activity, a document, a photo and a
message, all marked with the group's key so a leak shows on any page. Who is responsible
for which group is written here by hand from DESIGN.md ("Who uses it"), not read from
``corridors.selectors``; removing a scope filter there (``applications_for_user``,
``works_for_user``...) makes these tests fail.

Personas (``tests/conftest.py``): g1 is in N1 and g2 in N2 (our street), g3 in another
street. alice is staff of our street, bob of the other; carl is N1's committee, cindy N2's;
leo leads g1, lena g2, kim (made here) g3; fay, rita, otto and nobody are responsible for
no group.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from common.uploads import process_image
from corridors.models import Role, Theme
from corridors.services.files import group_document_add, group_photo_add
from corridors.services.notifications import notify
from corridors.services.people import role_assign
from corridors.workflows.application import State
from tests import factories as f
from tests.common.test_uploads import VALID_PDF
from tests.corridors.test_activities import make_activity
from tests.corridors.test_application_workflow import make_application, make_year
from tests.corridors.test_gallery import make_work, upload

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "bob", "carl", "cindy", "leo", "lena", "fay", "rita", "otto", "nobody"]
GROUPS = ["g1", "g2", "g3"]

# The groups each persona is responsible for (their applications, works, activities, files).
GROUPS_SEEN = {
    "alice": {"g1", "g2"},
    "bob": {"g3"},
    "carl": {"g1"},
    "cindy": {"g2"},
    "leo": {"g1"},
    "lena": {"g2"},
    "fay": set(),
    "rita": set(),
    "otto": set(),
    "nobody": set(),
}
# The places (neighbourhood, compound, building) each persona manages: staff and committee only.
PLACES_SEEN = {"alice": {"g1", "g2"}, "bob": {"g3"}, "carl": {"g1"}, "cindy": {"g2"}}
STAFF = {"alice": "our", "bob": "other"}


@pytest.fixture
def things(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    groups = {"g1": world.g1, "g2": world.g2, "g3": world.g_other}
    kim = f.UserFactory(username="kim", full_name="kim姓名")
    role_assign(user=kim, role=Role.LEADER, street=world.other_street, building_group=world.g_other)
    leaders = {"g1": world.leo, "g2": world.lena, "g3": kim}
    years = {"our": make_year(world.street), "other": make_year(world.other_street)}
    made = {"kim": kim, "years": years, "groups": groups}
    for key, group in groups.items():
        group.name = f"楼组{key}标记"
        group.save()
        leader = leaders[key]
        year = years["other" if key == "g3" else "our"]
        application = make_application(
            world, year, group=group, leader=leader, state=State.SUBMITTED, title=f"申报{key}标记"
        )
        work = make_work(group, leader, title=f"作品{key}标记")
        made[key] = {
            "group": group,
            "neighbourhood": group.building.compound.neighbourhood,
            "compound": group.building.compound,
            "building": group.building,
            "application": application,
            "work": work,
            "image": work.images.get(),
            "activity": make_activity(group, leader, title=f"活动{key}标记"),
            "document": group_document_add(
                group=group, title=f"文件{key}标记", kind="pdf", file=ContentFile(VALID_PDF, name="x.pdf"), by=leader
            ),
            "photo": group_photo_add(group=group, image=process_image(upload()), alt_text=f"照片{key}标记", by=leader),
            "notification": notify(recipients=[leader], actor=None, verb=f"消息{key}标记", url="/home/")[0],
        }
    made["department"] = {"our": world.housing, "other": f.DepartmentFactory(street=world.other_street)}
    made["theme"] = {"our": Theme.objects.filter(street=world.street).first(),
                     "other": Theme.objects.filter(street=world.other_street).first()}  # fmt: skip
    return made


def _group_pages(t):
    """Every corridors page about one object of a group, as (method, url name, args)."""
    a, w, act = t["application"], t["work"], t["activity"]
    return [
        ("get", "applications:detail", [a.pk]),
        ("get", "applications:edit", [a.pk]),
        ("get", "applications:print", [a.pk]),
        ("post", "applications:step", [a.pk, "withdraw"]),
        ("post", "applications:budget_add", [a.pk]),
        ("post", "applications:progress_photo_add", [a.pk]),
        ("get", "applications:picture", [a.pk, "sketch", 1, "small"]),
        ("get", "applications:new", [t["group"].pk]),
        ("get", "places:group", [t["group"].pk]),
        ("get", "places:group_edit", [t["group"].pk]),
        ("post", "places:group_deactivate", [t["group"].pk]),
        ("get", "places:document", [t["document"].pk]),
        ("get", "files:document", [t["document"].pk]),
        ("get", "files:photo_add", [t["group"].pk]),
        ("get", "files:document_add", [t["group"].pk]),
        ("get", "files:photo_delete", [t["group"].pk, t["photo"].pk]),
        ("get", "gallery:group", [t["group"].pk]),
        ("get", "gallery:work_add", [t["group"].pk]),
        ("get", "gallery:activity_add", [t["group"].pk]),
        ("get", "gallery:work", [w.pk]),
        ("get", "gallery:work_edit", [w.pk]),
        ("get", "gallery:work_hide", [w.pk]),
        ("post", "gallery:work_unhide", [w.pk]),
        ("post", "gallery:work_publish", [w.pk]),
        ("get", "gallery:work_image_add", [w.pk]),
        ("get", "gallery:work_image_file", [w.pk, t["image"].pk]),
        ("get", "gallery:work_delete", [w.pk]),
        ("get", "gallery:activity", [act.pk]),
        ("get", "gallery:activity_edit", [act.pk]),
        ("get", "gallery:activity_photo_add", [act.pk]),
        ("post", "gallery:activity_attendance", [act.pk]),
        ("get", "gallery:activity_delete", [act.pk]),
    ]


def _place_pages(t):
    return [
        ("get", "places:neighbourhood", [t["neighbourhood"].pk]),
        ("get", "places:neighbourhood_edit", [t["neighbourhood"].pk]),
        ("get", "places:import", [t["neighbourhood"].pk]),
        ("get", "places:compound_create", [t["neighbourhood"].pk]),
        ("get", "places:compound_edit", [t["compound"].pk]),
        ("get", "places:building_create", [t["compound"].pk]),
        ("get", "places:building_edit", [t["building"].pk]),
        ("get", "places:group_create", [t["building"].pk]),
    ]


LIST_PAGES = [
    "home",
    "applications:list",
    "applications:export",
    "applications:queue",
    "inbox:list",
    "places:list",
    "places:groups",
    "places:groups_export",
    "places:departments",
    "people:list",
    "people:export",
    "gallery:index",
    "programme:home",
]


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    return response.content.decode()


def _markers(key) -> list[str]:
    return [f"{kind}{key}标记" for kind in ("申报", "作品", "活动", "文件", "照片", "消息", "楼组")]


@pytest.mark.parametrize("persona", PERSONAS)
def test_objects_outside_the_scope_are_not_found(world, things, client, persona):
    client.force_login(getattr(world, persona))
    wrong = []
    for key in GROUPS:
        pages = [] if key in GROUPS_SEEN[persona] else _group_pages(things[key])
        pages += [] if key in PLACES_SEEN.get(persona, set()) else _place_pages(things[key])
        for method, name, args in pages:
            response = getattr(client, method)(reverse(name, args=args))
            body = response.content.decode(errors="replace")
            if response.status_code != 404 or any(marker in body for marker in _markers(key)):
                wrong.append(f"{name} of {key}: {response.status_code}")
    for key in GROUPS:
        notification = things[key]["notification"]
        if notification.recipient_id != getattr(world, persona).pk:
            status = client.post(reverse("inbox:open", args=[notification.pk])).status_code
            if status != 404:
                wrong.append(f"inbox:open of {key}: {status}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_things_of_another_street_are_not_found(world, things, client, persona):
    """Accounts, departments, programme years and themes of a street its staff do not serve."""
    client.force_login(getattr(world, persona))
    mine = STAFF.get(persona)
    other_people = {"our": [world.leo, world.carl, world.fay], "other": [things["kim"], world.bob]}
    wrong = []
    for street in ("our", "other"):
        if street == mine:
            continue
        # Without the staff role the people pages refuse outright (403); with it, not found.
        expected = 404 if mine else 403
        for account in other_people[street]:
            for name in ("people:detail", "people:password"):
                status = client.get(reverse(name, args=[account.pk])).status_code
                if status != expected:
                    wrong.append(f"{name} of {account.username}: {status}")
        for method, name, pk in [
            ("get", "places:department_edit", things["department"][street].pk),
            ("get", "programme:year_edit", things["years"][street].pk),
            ("post", "programme:theme_rename", things["theme"][street].pk),
            ("post", "programme:theme_toggle", things["theme"][street].pk),
            ("post", "programme:theme_add", things["years"][street].street_id),
        ]:
            status = getattr(client, method)(reverse(name, args=[pk])).status_code
            # An officer sees their own department (our street's) but may not edit it.
            allowed = {403, 404} if (persona, name, street) == ("otto", "places:department_edit", "our") else {404}
            if status not in allowed:
                wrong.append(f"{name} of the {street} street: {status}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_show_nothing_outside_the_scope(world, things, client, persona):
    client.force_login(getattr(world, persona))
    hidden = [marker for key in GROUPS if key not in GROUPS_SEEN[persona] for marker in _markers(key)]
    wrong = []
    for name in LIST_PAGES:
        response = client.get(reverse(name))
        assert response.status_code in {200, 403}, f"{name}: {response.status_code}"
        text = _text(response)
        wrong += [f"{name} shows {marker}" for marker in hidden if marker in text]
    assert not wrong, "\n".join(wrong)


# Where each persona finds their own groups' things (page, markers of the group it lists).
SEEN_ON = {
    "alice": ["applications:list", "applications:export", "places:groups", "gallery:index"],
    "bob": ["applications:list", "places:groups", "gallery:index"],
    "carl": ["applications:queue", "home", "gallery:index"],
    "cindy": ["applications:queue", "home", "gallery:index"],
    "leo": ["home", "gallery:index", "inbox:list"],
    "lena": ["home", "gallery:index", "inbox:list"],
}


@pytest.mark.parametrize("persona", sorted(SEEN_ON))
def test_inside_the_scope_the_object_and_its_content_are_there(world, things, client, persona):
    client.force_login(getattr(world, persona))
    missing = []
    for key in sorted(GROUPS_SEEN[persona]):
        t = things[key]
        for name, obj, marker in [
            ("applications:detail", t["application"], f"申报{key}标记"),
            ("gallery:work", t["work"], f"作品{key}标记"),
            ("gallery:activity", t["activity"], f"活动{key}标记"),
            ("places:group", t["group"], f"文件{key}标记"),
        ]:
            response = client.get(reverse(name, args=[obj.pk]))
            if response.status_code != 200 or marker not in response.content.decode():
                missing.append(f"{name} of {key}: {response.status_code}")
        for name in SEEN_ON[persona]:
            text = _text(client.get(reverse(name)))
            if not any(marker in text for marker in _markers(key)):
                missing.append(f"{name} lacks {key}")
    assert not missing, "\n".join(missing)


# --- A district user (区): sees both streets' things, changes none of them -----------------


def _snapshot():
    from corridors.models import Activity, Application, ApplicationTransition, BuildingGroup, GalleryWork, GroupPhoto

    return (
        sorted(Application.objects.values_list("pk", "state", "title")),
        ApplicationTransition.objects.count(),
        sorted(GalleryWork.objects.values_list("pk", "state", "title")),
        sorted(Activity.objects.values_list("pk", "title")),
        sorted(BuildingGroup.objects.values_list("pk", "name", "households", "is_active")),
        GroupPhoto.objects.count(),
    )


@pytest.fixture
def dora(world):
    """Persona: a district user of 杨浦区, where both streets of the world are."""
    from corridors.models import Oversight

    user = f.UserFactory(username="dora", full_name="dora姓名")
    Oversight.objects.create(user=user, district=world.street.district)
    return user


def test_a_district_user_sees_both_streets_lists(world, things, client, dora):
    client.force_login(dora)
    missing = []
    for name in ["applications:list", "applications:export", "places:groups", "places:groups_export", "places:list"]:
        response = client.get(reverse(name))
        text = _text(response)
        for key in GROUPS:
            marker = f"楼组{key}标记" if name.startswith("places:groups") else f"申报{key}标记"
            if name == "places:list":
                marker = things[key]["neighbourhood"].name
            if response.status_code != 200 or marker not in text:
                missing.append(f"{name} lacks {key} ({response.status_code})")
    for key in GROUPS:
        for name, obj in [("applications:detail", things[key]["application"]), ("places:group", things[key]["group"])]:
            if client.get(reverse(name, args=[obj.pk])).status_code != 200:
                missing.append(f"{name} of {key}")
    assert not missing, "\n".join(missing)


# Pages that only show (a POST renders them like a GET, or serves the file).
READ_PAGES = {
    "applications:detail",
    "applications:print",
    "places:group",
    "places:document",
    "places:neighbourhood",
    "files:document",
    "gallery:group",
    "gallery:work",
    "gallery:work_image_file",
    "gallery:activity",
}


def test_a_district_user_changes_nothing_in_either_street(world, things, client, dora):
    client.force_login(dora)
    before = _snapshot()
    wrong = []
    for key in GROUPS:
        for _method, name, args in _group_pages(things[key]) + _place_pages(things[key]):
            if name in READ_PAGES:
                continue
            response = client.post(reverse(name, args=args), {"title": "区里改的", "name": "区里改的", "households": 1})
            # A workflow step answers with the application page and the refusal (checked below).
            allowed = {302, 403, 404} if name == "applications:step" else {403, 404, 405}
            if response.status_code not in allowed:
                wrong.append(f"POST {name} of {key}: {response.status_code}")
    for method, name, pk in [
        ("post", "places:department_edit", things["department"]["our"].pk),
        ("post", "programme:year_edit", things["years"]["our"].pk),
        ("post", "programme:theme_rename", things["theme"]["our"].pk),
        ("post", "programme:theme_add", world.street.pk),
        ("post", "places:street_import", world.street.pk),
    ]:
        status = getattr(client, method)(reverse(name, args=[pk]), {"name": "区里改的"}).status_code
        if status not in {403, 404}:
            wrong.append(f"{name}: {status}")
    assert not wrong, "\n".join(wrong)
    assert _snapshot() == before
    # Refusals say why, in the reader's language.
    response = client.post(reverse("places:group_edit", args=[things["g1"]["group"].pk]), {"name": "x"})
    assert response.status_code == 403 and "街道" in response.content.decode()
