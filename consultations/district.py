"""The consultations part of ``manage.py generate_district``: categories and requests."""

import datetime

from consultations.models import Category, ConsultationRequest
from consultations.workflows.request import FOLLOW_UP_STATES, RequestState

BATCH = 5000
CATEGORIES = ["电梯", "垃圾分类", "停车", "绿化", "房屋修缮", "治安"]
TITLES = [
    "三部电梯经常罢工",
    "垃圾箱房气味大",
    "小区里车位不够",
    "楼道灯坏了",
    "屋顶漏水",
    "绿化带杂草多",
    "非机动车乱停",
    "门禁坏了",
]
TEXTS = [
    "居民反映已经很久了，希望尽快解决。",
    "老人上下楼很不方便，请相关部门来看看。",
    "晚上回家很不安全，希望加装照明。",
    "夏天气味很大，希望增加清运次数。",
]
STATES = [
    RequestState.SUBMITTED,
    RequestState.ACCEPTED,
    RequestState.RESOLVED,
    RequestState.CONFIRMED,
    RequestState.CONFIRMED,
    RequestState.CONFIRMED,
    RequestState.DECLINED,
]


def generate_district_requests(context, log=print) -> None:
    rng, now = context.rng, context.now
    categories = {}
    for street in context.streets:
        categories[street.pk] = Category.objects.bulk_create(
            Category(street=street, name=name, position=i) for i, name in enumerate(CATEGORIES)
        )
    buildings_by_street = context.buildings
    streets = context.streets
    made = 0
    total = context.size.requests
    for start in range(0, total, BATCH):
        rows = []
        for _n in range(min(BATCH, total - start)):
            street = streets[rng.randrange(len(streets))]
            building = rng.choice(buildings_by_street[street.pk])
            compound = building.compound
            state = rng.choice(STATES)
            created = now - datetime.timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
            resolved = (
                created + datetime.timedelta(days=rng.randint(1, 60))
                if state in (RequestState.RESOLVED, RequestState.CONFIRMED)
                else None
            )
            rows.append(
                ConsultationRequest(
                    representative=context.representatives[street.pk],
                    registered_by=context.representatives[street.pk],
                    neighbourhood_id=compound.neighbourhood_id,
                    compound=compound,
                    building=building,
                    households=rng.randint(1, 30),
                    category=rng.choice(categories[street.pk]),
                    title=rng.choice(TITLES),
                    text=rng.choice(TEXTS),
                    department=rng.choice(context.departments[street.pk]),
                    channel="year_round",
                    state=state,
                    due_date=(created + datetime.timedelta(days=30)).date() if state in FOLLOW_UP_STATES else None,
                    resolution="已经处理完毕。" if resolved else "",
                    public_summary="已协调相关部门处理。" if resolved else "",
                    created_at=created,
                    resolved_at=resolved,
                    closed_at=resolved if state == RequestState.CONFIRMED else None,
                )
            )
        ConsultationRequest.objects.bulk_create(rows)
        made += len(rows)
        log(f"requests: {made}/{total}")
