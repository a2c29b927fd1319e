"""A district-sized dataset for sizing and benchmarking (``manage.py generate_district``).

Everything is written through the models with ``bulk_create`` (no services: a service call
per row would take hours at this size), from one seeded random generator, so the same flags
give the same data. The works share a few picture files stored once through the public
storage. Other apps add their part through the ``generate_district(context)`` hook on their
AppConfig (consultations: requests).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from common.hooks import call_hooks
from common.uploads import DISPLAY_WIDTHS, process_image
from corridors.models import (
    Activity,
    Application,
    Building,
    BuildingGroup,
    Compound,
    Department,
    District,
    GalleryWork,
    Neighbourhood,
    ProgrammeYear,
    Role,
    RoleAssignment,
    Street,
    Theme,
    User,
    WorkImage,
)

DISTRICT_NAME = "示范区（生成）"
BATCH = 5000

STREET_NAMES = [
    "四平路",
    "江浦路",
    "大桥",
    "平凉路",
    "定海路",
    "殷行",
    "五角场",
    "新江湾城",
    "长白新村",
    "控江路",
    "延吉新村",
    "曲阳路",
    "欧阳路",
    "广中路",
    "嘉兴路",
    "凉城新村",
]
NEIGHBOURHOOD_WORDS = [
    "鞍山",
    "同济",
    "密云",
    "幸福",
    "和平",
    "阳光",
    "春晓",
    "兰花",
    "玉兰",
    "松花",
    "延吉",
    "凤城",
    "靖宇",
    "辽源",
    "包头",
    "国和",
]
COMPOUND_WORDS = ["新村", "小区", "公寓", "花园", "苑", "里", "坊", "大楼"]
THEMES = ["红色楼道", "书香楼道", "绿色楼道", "邻里互助", "海派文化"]
DEPARTMENTS = ["房管办", "城管中队", "物业公司", "自来水公司", "社区事务受理中心"]
WORK_TITLES = [
    "窗台上的月季",
    "外婆的红烧肉",
    "楼道里的全家福",
    "邻居家的小猫",
    "阳台上的多肉",
    "重阳节的毛笔字",
    "一楼的晾衣架",
    "春节的窗花",
    "和平鸽剪纸",
    "楼下的梧桐树",
    "荠菜馄饨",
    "老式电梯的铁门",
]
WORK_TEXTS = [
    "这是我在楼道里拍的，大家每天上下楼都能看到。",
    "家里传了三代的做法，逢年过节都要做一锅。",
    "孩子们放学后在楼道里一起画的。",
    "退休以后学的书法，写给楼里的老邻居。",
    "楼组长带着大家一起布置的角落。",
    "三部电梯经常罢工，大家就在楼梯间挂了这些照片。",
]
ACTIVITY_TITLES = ["每月美食日", "亲子运动会", "做月饼", "花草交换", "厨艺比赛"]


@dataclass
class DistrictSize:
    streets: int = 12
    groups: int = 20_000
    works: int = 200_000
    requests: int = 50_000
    applications: int = 5_000
    activities: int = 20_000
    seed: int = 2026


@dataclass
class DistrictContext:
    """What the corridors part made, handed to the other apps' hooks."""

    size: DistrictSize
    rng: random.Random
    now: datetime.datetime
    streets: list = field(default_factory=list)
    # street id -> its neighbourhoods, compounds, buildings, departments, staff user
    neighbourhoods: dict = field(default_factory=dict)
    compounds: dict = field(default_factory=dict)
    buildings: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)
    representatives: dict = field(default_factory=dict)


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _shared_pictures(uploader) -> list[WorkImage]:
    """A few pictures processed and stored once; every generated work points at one of them."""
    from corridors.demo.gallery import demo_picture

    storage = WorkImage._meta.get_field("image_small").storage
    pictures = []
    for n, palette in enumerate(["warm", "green", "sky"]):
        processed = process_image(demo_picture(palette, f"district-{n}", size=(640, 480)))
        image = WorkImage(alt_text="楼道作品", uploaded_by=uploader)
        for name, width in zip(("small", "medium", "large"), DISPLAY_WIDTHS, strict=True):
            content, w, h = processed.sizes[width]
            stored = storage.save(f"district/{n}-{name}.webp", content)
            setattr(image, f"image_{name}", stored)
            setattr(image, f"{name}_width", w)
            setattr(image, f"{name}_height", h)
        pictures.append(image)
    return pictures


def generate_district(size: DistrictSize, *, log=print) -> DistrictContext:
    if Street.objects.filter(district__name=DISTRICT_NAME).exists():
        raise ValueError(f"{DISTRICT_NAME} already exists in this database")
    rng = random.Random(size.seed)
    context = DistrictContext(size=size, rng=rng, now=timezone.now())
    with transaction.atomic():
        _places(context, log)
        _people(context, log)
        _applications(context, log)
        _works(context, log)
        _activities(context, log)
        call_hooks("generate_district", context, log=log)
    return context


def _places(context: DistrictContext, log) -> None:
    size, rng = context.size, context.rng
    district = District.objects.create(name=DISTRICT_NAME)
    streets = Street.objects.bulk_create(
        Street(
            name=f"{STREET_NAMES[i % len(STREET_NAMES)]}街道{'' if i < len(STREET_NAMES) else i}",
            district=district,
        )
        for i in range(size.streets)
    )
    context.streets = streets
    groups_per_street = _split(size.groups, size.streets)
    groups = []
    for street, group_count in zip(streets, groups_per_street, strict=True):
        neighbourhoods = Neighbourhood.objects.bulk_create(
            Neighbourhood(
                street=street,
                name=f"{NEIGHBOURHOOD_WORDS[n % len(NEIGHBOURHOOD_WORDS)]}{'' if n < 16 else n}居委会",
                committee_name=f"{NEIGHBOURHOOD_WORDS[n % len(NEIGHBOURHOOD_WORDS)]}居民委员会{n}",
                address=f"{street.name}{100 + n}号",
            )
            for n in range(8)
        )
        building_count = max(1, group_count // 2)
        compound_count = max(1, building_count // 10)
        compounds = Compound.objects.bulk_create(
            Compound(
                neighbourhood=neighbourhoods[c % len(neighbourhoods)],
                name=f"{rng.choice(NEIGHBOURHOOD_WORDS)}{COMPOUND_WORDS[c % len(COMPOUND_WORDS)]}{c + 1}",
                address=f"{rng.choice(NEIGHBOURHOOD_WORDS)}路{rng.randint(1, 999)}弄",
            )
            for c in range(compound_count)
        )
        buildings = Building.objects.bulk_create(
            (
                Building(
                    compound=compounds[b % compound_count],
                    name=f"{b // compound_count + 1}号",
                    floors=rng.randint(5, 24),
                    households=rng.randint(12, 96),
                    elevators=rng.randint(0, 3),
                    year_built=rng.randint(1980, 2015),
                )
                for b in range(building_count)
            ),
            batch_size=BATCH,
        )
        groups.extend(
            BuildingGroup(
                building=buildings[g % building_count],
                name=f"{g // building_count + 1}号门",
                households=rng.randint(6, 48),
            )
            for g in range(group_count)
        )
        departments = Department.objects.bulk_create(Department(street=street, name=name) for name in DEPARTMENTS)
        Theme.objects.bulk_create(Theme(street=street, name=name, position=i) for i, name in enumerate(THEMES))
        year = context.now.year
        ProgrammeYear.objects.bulk_create(
            ProgrammeYear(
                street=street,
                year=y,
                window_opens=datetime.date(y, 3, 1),
                window_closes=datetime.date(y, 5, 31),
                annual_budget=200000,
            )
            for y in (year - 1, year)
        )
        context.neighbourhoods[street.pk] = neighbourhoods
        context.compounds[street.pk] = compounds
        context.buildings[street.pk] = buildings
        context.departments[street.pk] = departments
    BuildingGroup.objects.bulk_create(groups, batch_size=BATCH)
    log(f"places: {len(streets)} streets, {len(groups)} building groups")


def _people(context: DistrictContext, log) -> None:
    for n, street in enumerate(context.streets):
        staff, representative = User.objects.bulk_create(
            [
                User(username=f"district{n}_staff", full_name=f"街道干部{n}", is_active=True, password="!"),
                User(username=f"district{n}_rep", full_name=f"居民代表{n}", is_active=True, password="!"),
            ]
        )
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user=staff, role=Role.STREET_STAFF, street=street),
                RoleAssignment(
                    user=representative,
                    role=Role.REPRESENTATIVE,
                    street=street,
                    neighbourhood=context.neighbourhoods[street.pk][0],
                ),
            ]
        )
        context.staff[street.pk] = staff
        context.representatives[street.pk] = representative
    log(f"people: {2 * len(context.streets)} accounts (district<n>_staff, district<n>_rep; no password)")


def _street_groups(context: DistrictContext):
    """(group id, households, street id) of every generated group, in a stable order."""
    return list(
        BuildingGroup.objects.filter(building__compound__neighbourhood__street__district__name=DISTRICT_NAME)
        .order_by("pk")
        .values_list("pk", "households", "building__compound__neighbourhood__street_id")
    )


def _applications(context: DistrictContext, log) -> None:
    rng = context.rng
    groups = _street_groups(context)
    context.groups = groups
    years = {(p.street_id, p.year): p for p in ProgrammeYear.objects.filter(street__in=context.streets)}
    themes = {}
    for theme in Theme.objects.filter(street__in=context.streets):
        themes.setdefault(theme.street_id, []).append(theme)
    states = ["draft", "submitted", "approved", "in_creation", "awarded", "awarded", "rejected"]
    chosen = rng.sample(groups, min(context.size.applications, len(groups)))
    applications = []
    for group_id, households, street_id in chosen:
        year = years[(street_id, context.now.year - rng.randint(0, 1))]
        state = rng.choice(states)
        applications.append(
            Application(
                group_id=group_id,
                programme_year=year,
                theme=rng.choice(themes[street_id]),
                title=f"{rng.choice(THEMES)}：{rng.choice(WORK_TITLES)}",
                state=state,
                plan="墙面粉刷、照片墙、绿植角，楼里居民一起动手。",
                households_agreed=households,
                households_total=households,
                created_by=context.staff[street_id],
                submitted_at=None if state == "draft" else context.now,
            )
        )
    Application.objects.bulk_create(applications, batch_size=BATCH)
    log(f"applications: {len(applications)}")


def _works(context: DistrictContext, log) -> None:
    rng, now = context.rng, context.now
    first_staff = next(iter(context.staff.values()))
    pictures = _shared_pictures(first_staff)
    groups = context.groups
    made = 0
    for start in range(0, context.size.works, BATCH):
        count = min(BATCH, context.size.works - start)
        works = []
        for _n in range(count):
            group_id, _households, street_id = groups[rng.randrange(len(groups))]
            state = "published" if rng.random() < 0.9 else "draft"
            consent = rng.random() < 0.3
            works.append(
                GalleryWork(
                    group_id=group_id,
                    kind=rng.choice(GalleryWork.Kind.values),
                    title=rng.choice(WORK_TITLES),
                    text=rng.choice(WORK_TEXTS),
                    author_name="王阿姨" if consent else "",
                    author_consent=consent,
                    state=state,
                    published_at=now - datetime.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
                    if state == "published"
                    else None,
                    created_by=context.staff[street_id],
                )
            )
        GalleryWork.objects.bulk_create(works)
        images = []
        for work in works:
            picture = pictures[work.pk % len(pictures)]
            images.append(
                WorkImage(
                    work=work,
                    order=0,
                    alt_text=work.title,
                    uploaded_by=first_staff,
                    image_small=picture.image_small.name,
                    image_medium=picture.image_medium.name,
                    image_large=picture.image_large.name,
                    small_width=picture.small_width,
                    small_height=picture.small_height,
                    medium_width=picture.medium_width,
                    medium_height=picture.medium_height,
                    large_width=picture.large_width,
                    large_height=picture.large_height,
                )
            )
        WorkImage.objects.bulk_create(images)
        made += count
        log(f"works: {made}/{context.size.works}")


def _activities(context: DistrictContext, log) -> None:
    rng, now = context.rng, context.now
    groups = context.groups
    activities = []
    for _n in range(context.size.activities):
        group_id, _households, street_id = groups[rng.randrange(len(groups))]
        starts = now + datetime.timedelta(days=rng.randint(-3 * 365, 60), hours=rng.randint(0, 12))
        activities.append(
            Activity(
                group_id=group_id,
                kind=rng.choice(Activity.Kind.values),
                title=rng.choice(ACTIVITY_TITLES),
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place="楼道口",
                description="欢迎楼里的邻居一起来。",
                created_by=context.staff[street_id],
            )
        )
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    log(f"activities: {len(activities)}")
