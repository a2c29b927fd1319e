"""The demo world's warm-corridor applications: the story's groups at different steps.

``load_demo_applications(street)`` runs after ``corridors.demo.load_demo`` and goes through
the same service functions the pages use, so the history rows and inbox are real. It is
idempotent: a group that already has an application for the year is left alone.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from corridors.demo.accounts import DEMO_PASSWORD
from corridors.models import Application, BuildingGroup, Neighbourhood, ProgrammeYear, Role, Street, Theme, User
from corridors.services.applications import (
    application_approve,
    application_budget_item_add,
    application_create,
    application_endorse,
    application_return,
    application_start_creation,
    application_submit,
    themes_ensure_defaults,
)
from corridors.services.people import role_assign, user_create

CONVENTION = (
    "一、楼道内不堆放杂物，不停放电动自行车。\n"
    "二、爱护墙面和作品，轮流打扫，每月一次大扫除。\n"
    "三、邻里有事互相帮忙，关心独居老人。"
)

# Extra demo accounts for the groups in the story that need a leader or a committee.
EXTRA_ACCOUNTS = [
    ("leader7", "刘建华", "13800009901", Role.LEADER, ("抚顺路363弄", "7号", "1单元")),
    ("leadermy", "孙秀兰", "13800009902", Role.LEADER, ("密云小区", "3号", "1单元")),
    ("committeemy", "何静", "13800009903", Role.COMMITTEE, "密云路居民区"),
    ("leaderfx", "吴美玲", "13800009904", Role.LEADER, ("阜新新村", "21号", "1单元")),
    ("committeefx", "郑红", "13800009905", Role.COMMITTEE, "阜新路居民区"),
]

# (compound, building, group) -> (leader username, title, theme, agreed, target step)
STORY = [
    (("抚顺路363弄", "5号", "1单元"), "leader", "百草园楼道", "绿植与百草园", 10, "draft"),
    (("抚顺路363弄", "7号", "1单元"), "leader7", "邻里食谱墙", "烹饪与食谱", 10, "returned"),
    (("密云小区", "3号", "1单元"), "leadermy", "书法与太极长廊", "书法与太极", 9, "endorsed"),
    (("和平花园", "D座", "全楼"), "leaderd", "和平花园摄影长廊", "摄影", 150, "in_creation"),
    (("阜新新村", "21号", "1单元"), "leaderfx", "亲子乐园楼道", "亲子", 12, "in_creation"),
]

BUDGET = [("内墙粉刷（平方米）", Decimal("120"), Decimal("18.50")), ("作品展示框", Decimal("12"), Decimal("45.00"))]


def _group(street: Street, path) -> BuildingGroup:
    compound, building, name = path
    return BuildingGroup.objects.select_related("building__compound__neighbourhood__street").get(
        building__compound__neighbourhood__street=street,
        building__compound__name=compound,
        building__name=building,
        name=name,
    )


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _committee_of(group: BuildingGroup) -> User:
    return User.objects.filter(roles__role=Role.COMMITTEE, roles__neighbourhood=group.building.compound.neighbourhood)[
        0
    ]


@transaction.atomic
def load_demo_applications(street: Street) -> ProgrammeYear:
    themes_ensure_defaults(street=street)
    # The window always includes today, so the demo's steps work whenever it is loaded.
    today = timezone.localdate()
    year, _created = ProgrammeYear.objects.get_or_create(
        street=street,
        year=2026,
        defaults={
            "window_opens": min(datetime.date(2026, 3, 1), today),
            "window_closes": max(datetime.date(2026, 12, 31), today),
            "renovation_cap": Decimal("8000.00"),
            "annual_budget": Decimal("200000.00"),
        },
    )
    for username, full_name, phone, role, scope in EXTRA_ACCOUNTS:
        user = User.objects.filter(username=username).first() or user_create(
            username=username, full_name=full_name, phone=phone, password=DEMO_PASSWORD
        )
        if role == Role.LEADER:
            role_assign(user=user, role=role, street=street, building_group=_group(street, scope))
        else:
            neighbourhood = Neighbourhood.objects.get(street=street, name=scope)
            role_assign(user=user, role=role, street=street, neighbourhood=neighbourhood)

    staff = _user("staff")
    for path, leader_name, title, theme_name, agreed, target in STORY:
        group = _group(street, path)
        if Application.objects.filter(group=group, programme_year=year).exists():
            continue
        leader = _user(leader_name)
        application = application_create(
            actor=leader,
            group=group,
            programme_year=year,
            theme=Theme.objects.get(street=street, name=theme_name),
            title=title,
            plan="粉刷楼道墙面，设置作品展示区，由楼组居民共同布置。",
            convention=CONVENTION,
            households_agreed=min(agreed, group.households),
        )
        for item, quantity, price in BUDGET:
            application_budget_item_add(
                application=application, actor=leader, item=item, quantity=quantity, unit_price=price
            )
        if target == "draft":
            continue
        application_submit(application=application, actor=leader)
        committee = _committee_of(group)
        if target == "returned":
            application_return(
                application=application, actor=committee, note="请补充楼道公约的签名页，并说明作品展示框的安装位置。"
            )
            continue
        application_endorse(application=application, actor=committee, note="同意推荐。")
        if target == "endorsed":
            continue
        application_approve(application=application, actor=staff, note="同意创建。")
        application_start_creation(application=application, actor=leader)
    return year
