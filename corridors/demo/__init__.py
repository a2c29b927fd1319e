"""The demo world: Siping Road sub-district as in the news story (see shared/seed/).

``load_demo`` builds it with get-or-create throughout, so running it twice changes nothing.
Other apps add their parts with a ``load_demo(street)`` method on their AppConfig. The
accounts are in ``accounts``, the applications' stories in ``applications``, the galleries
and activities in ``gallery``.
"""

from django.db import transaction

from common.hooks import call_hooks
from corridors.demo.accounts import ACCOUNTS, DEMO_PASSWORD, demo_otp_key, enrol_demo_second_factors
from corridors.demo.applications import load_demo_applications
from corridors.demo.gallery import load_demo_gallery
from corridors.models import Building, BuildingGroup, Compound, Department, District, Neighbourhood, Street, User
from corridors.services.people import role_assign, user_create

# neighbourhood -> (committee, {compound: [(building, floors, households, elevators, year, [(group, households)])]})
PLACES = {
    "和平花园居民区": (
        "和平花园居委会",
        {
            "和平花园": [
                ("D座", 25, 192, 3, 1996, [("全楼", 192)]),
                ("A座", 18, 144, 2, 1996, [("全楼", 144)]),
                ("B座", 6, 36, 0, 1996, [("1单元", 18), ("2单元", 18)]),
            ]
        },
    ),
    "抚顺路363弄居民区": (
        "抚顺路363弄居委会",
        {
            "抚顺路363弄": [
                ("5号", 6, 24, 0, 1958, [("1单元", 12), ("2单元", 12)]),
                ("7号", 6, 24, 0, 1958, [("1单元", 12), ("2单元", 12)]),
                ("12号", 5, 20, 0, 1962, [("1单元", 10)]),
            ]
        },
    ),
    "密云路居民区": (
        "密云路居委会",
        {"密云小区": [("3号", 6, 36, 0, 1978, [("1单元", 12), ("2单元", 12), ("3单元", 12)])]},
    ),
    "阜新路居民区": (
        "阜新路居委会",
        {"阜新新村": [("21号", 5, 30, 0, 1982, [("1单元", 15), ("2单元", 15)])]},
    ),
}

DEPARTMENTS = ["街道办事处主任", "城市管理办公室", "房屋管理办事处", "社区自治办公室", "绿化市容所"]


@transaction.atomic
def load_demo(stdout=None) -> Street:
    district, _ = District.objects.get_or_create(name="杨浦区")
    street, _ = Street.objects.get_or_create(name="四平路街道", district=district)
    for n_name, (committee, compounds) in PLACES.items():
        neighbourhood, _ = Neighbourhood.objects.get_or_create(
            street=street, name=n_name, defaults={"committee_name": committee}
        )
        for c_name, buildings in compounds.items():
            compound, _ = Compound.objects.get_or_create(neighbourhood=neighbourhood, name=c_name)
            for b_name, floors, households, elevators, year, groups in buildings:
                building, _ = Building.objects.get_or_create(
                    compound=compound,
                    name=b_name,
                    defaults={"floors": floors, "households": households, "elevators": elevators, "year_built": year},
                )
                for g_name, g_households in groups:
                    BuildingGroup.objects.get_or_create(
                        building=building, name=g_name, defaults={"households": g_households}
                    )
    for d_name in DEPARTMENTS:
        Department.objects.get_or_create(street=street, name=d_name)

    for username, full_name, phone, role, kind, scope in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, full_name=full_name, phone=phone, password=DEMO_PASSWORD)
        kwargs = {}
        if kind == "neighbourhood":
            kwargs["neighbourhood"] = Neighbourhood.objects.get(street=street, name=scope)
        elif kind == "group":
            compound, building, group = scope
            kwargs["building_group"] = BuildingGroup.objects.select_related(
                "building__compound__neighbourhood__street"
            ).get(
                building__compound__neighbourhood__street=street,
                building__compound__name=compound,
                building__name=building,
                name=group,
            )
        elif kind == "department":
            kwargs["department"] = Department.objects.get(street=street, name=scope)
        role_assign(user=user, role=role, street=street, **kwargs)

    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=DEMO_PASSWORD, full_name="系统管理员")
    enrol_demo_second_factors()
    load_demo_applications(street)
    load_demo_gallery(street)
    # Other apps add their part through a hook on their AppConfig, so corridors never
    # imports funds or consultations (dependencies point one way).
    call_hooks("load_demo", street)
    return street


__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "load_demo", "demo_otp_key"]
