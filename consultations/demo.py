"""The demo's consultations: last year's conference and the one coming up (DESIGN.md §3).

The dates follow the day the demo is loaded: last year's conference was about a year ago,
the next one is three weeks ahead. At last year's conference 张毅 (``rep``) brought the
broken elevators of 和平花园 D座 to the housing office's stall; a few weeks ago they were
replaced, and the request is resolved and confirmed (it is on the public board). Other items
of that conference were answered, declined, or are still open and overdue — they are listed
first at the housing office's stall at the next conference. For that one, pre-filed requests
wait for the stalls, among them garbage sorting in a high-rise.
周建国 (``rep363``) does not use the site: the residents' committee (``committee363``) filed
the broken street lamps for him. Both representatives serve the 第四届 term.

Every item goes through the same service functions as the pages (so every step has its
history row); only the dates are moved back afterwards. Idempotent: the conferences are
found by street and name (a second load never moves their dates), and an item already there
(same conference and summary) is skipped.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from consultations.models import Category, Channel, Conference, ConsultationRequest, RepresentativeTerm, Stall
from consultations.services.categories import category_ensure_defaults
from consultations.services.conferences import conference_create, stall_open
from consultations.services.requests import (
    request_accept,
    request_answer_on_spot,
    request_confirm,
    request_decline,
    request_file,
    request_file_on_behalf,
    request_refer,
    request_resolve,
)
from consultations.services.terms import representative_term_add
from corridors.models import Building, Compound, Department, Neighbourhood, Role, Street, User
from corridors.services.people import role_assign, user_create

VENUE = "四平路街道社区文化活动中心一楼大厅"
# Names without a year, so that a load on a later day finds the same two conferences.
PAST = "四平路街道第四届社区代表大会第二次会议"
UPCOMING = "四平路街道第四届社区代表大会第三次会议"
# Days from the day of the first load; the two conferences are a year apart.
UPCOMING_IN_DAYS = 21
PAST_DAYS_AGO = 365 - UPCOMING_IN_DAYS
HOUSING, CITY, GREEN, DIRECTOR = "房屋管理办事处", "城市管理办公室", "绿化市容所", "街道办事处主任"

# A second representative, so the lists are not all one person's.
REP363 = ("rep363", "周建国", "13800009999", "抚顺路363弄居民区")
# The representatives' current term (its years are set from last year's conference).
TERM = "第四届"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _user(username: str) -> User:
    # Fresh from the database: role scopes are cached on the user object.
    return User.objects.get(username=username)


def _place(street: Street, compound: str, building: str | None):
    compound_obj = Compound.objects.select_related("neighbourhood").get(neighbourhood__street=street, name=compound)
    building_obj = Building.objects.get(compound=compound_obj, name=building) if building else None
    return compound_obj, building_obj


def _backdate(request: ConsultationRequest, filed: datetime.date, steps: list[datetime.date], **fields) -> None:
    """Move a demo request's history to the dates of the story (services stamp "now")."""
    events = list(request.events.order_by("pk"))
    for event, day in zip(events, [filed, *steps], strict=False):
        event.created_at = _at(day)
        event.save(update_fields=["created_at"])
    values = {"created_at": _at(filed)}
    for name, value in fields.items():
        values[name] = _at(value) if name.endswith("_at") else value
    ConsultationRequest.objects.filter(pk=request.pk).update(**values)


def _file(street, *, rep, conference, compound, building, households, category, department, title, text, filed):
    """File through the service (any time of year), then attach it to its conference."""
    compound_obj, building_obj = _place(street, compound, building)
    request = request_file(
        actor=_user(rep),
        compound=compound_obj,
        building=building_obj,
        households=households,
        category=Category.objects.get(street=street, name=category),
        title=title,
        text=text,
        department=Department.objects.get(street=street, name=department),
    )
    ConsultationRequest.objects.filter(pk=request.pk).update(
        conference=conference, channel=Channel.PRE_FILED, created_at=_at(filed)
    )
    request.events.update(created_at=_at(filed))
    request.refresh_from_db()
    return request


def _exists(conference, title) -> bool:
    return ConsultationRequest.objects.filter(conference=conference, title=title).exists()


def _conference(street, name: str, date: datetime.date, staff) -> Conference:
    """The street's conference of this name; created on ``date`` only if it is not there yet."""
    conference = Conference.objects.filter(street=street, name=name).first()
    if conference is None:
        conference = conference_create(actor=staff, street=street, name=name, date=date, venue=VENUE)
    for index, department in enumerate(Department.objects.filter(street=street, is_active=True).order_by("name")):
        if not Stall.objects.filter(conference=conference, department=department).exists():
            officers = list(User.objects.filter(roles__role=Role.OFFICER, roles__department=department))
            stall_open(
                actor=staff,
                conference=conference,
                department=department,
                officers=officers,
                location=f"{index + 1}号桌",
            )
    return conference


@transaction.atomic
def load_demo_consultations(street: Street, *, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    category_ensure_defaults(street=street)
    if not User.objects.filter(username=REP363[0]).exists():
        user = user_create(username=REP363[0], full_name=REP363[1], phone=REP363[2], password="Corridor-2026")
        role_assign(
            user=user,
            role=Role.REPRESENTATIVE,
            street=street,
            neighbourhood=Neighbourhood.objects.get(street=street, name=REP363[3]),
        )
    staff = _user("staff")
    past = _conference(street, PAST, today - datetime.timedelta(days=PAST_DAYS_AGO), staff)
    upcoming = _conference(street, UPCOMING, today + datetime.timedelta(days=UPCOMING_IN_DAYS), staff)
    # The story's days, from the conferences' own dates (unchanged by a later load).
    p, u = past.date, upcoming.date

    def before(day: datetime.date, days: int) -> datetime.date:
        return day - datetime.timedelta(days=days)

    # A five-year term whose second conference was last year's.
    term, starts_on, ends_on = TERM, datetime.date(p.year - 1, 1, 1), datetime.date(p.year + 3, 12, 31)
    for username, neighbourhood in (("rep", "和平花园居民区"), (REP363[0], REP363[3])):
        neighbourhood_obj = Neighbourhood.objects.get(street=street, name=neighbourhood)
        if not RepresentativeTerm.objects.filter(representative__username=username, term=term).exists():
            representative_term_add(
                actor=staff, representative=_user(username), neighbourhood=neighbourhood_obj,
                term=term, starts_on=starts_on, ends_on=ends_on,
            )  # fmt: skip
    officer = _user("officer")
    future = timezone.localdate() + datetime.timedelta(days=30)

    title = "和平花园D座三台电梯老化，经常停运"
    if not _exists(past, title):
        r = _file(
            street, rep="rep", conference=past, compound="和平花园", building="D座", households=192,
            category="电梯", department=HOUSING, title=title, filed=before(p, 8),
            text="D座25层，三台电梯已运行20年，今年停运十多次，老人上下楼困难。居民希望更换电梯，"
            "想了解专项维修资金能否续筹、怎么申请。",
        )  # fmt: skip
        request_accept(actor=officer, request=r, due_date=future, note="会后与居委会、业委会一起推进维修资金续筹。")
        resolved, confirmed = before(u, 61), before(u, 55)
        request_resolve(
            actor=officer, request=r,
            resolution=f"经业主表决，专项维修资金续筹完成，三台电梯已于{resolved.year}年{resolved.month}月"
            "更换完毕并通过验收。",
            public_summary="和平花园D座三台老旧电梯已全部更换",
        )  # fmt: skip
        request_confirm(actor=_user("rep"), request=r, note="居民很满意，谢谢！")
        _backdate(
            r, before(p, 8), [p, resolved, confirmed],
            due_date=before(u, 60), accepted_at=p, resolved_at=resolved, closed_at=confirmed,
        )  # fmt: skip

    title = "和平花园A座外墙渗水"
    if not _exists(past, title):
        r = _file(
            street, rep="rep", conference=past, compound="和平花园", building="A座", households=12,
            category="房屋维修", department=HOUSING, title=title, filed=before(p, 7),
            text="A座朝北一侧外墙雨天渗水，多户墙面发霉。",
        )  # fmt: skip
        request_accept(actor=officer, request=r, due_date=future)
        # Still being followed up months after its due date: overdue, carried over to the next conference.
        _backdate(r, before(p, 7), [p], due_date=before(u, 141), accepted_at=p)

    title = "抚顺路363弄夜间停车难"
    if not _exists(past, title):
        r = _file(
            street, rep=REP363[0], conference=past, compound="抚顺路363弄", building=None, households=40,
            category="停车", department=CITY, title=title, filed=before(p, 6),
            text="弄堂狭窄，夜间车辆乱停，消防通道被占。希望规划停车位或错峰停车。",
        )  # fmt: skip
        request_refer(
            actor=staff, request=r, department=Department.objects.get(street=street, name=DIRECTOR),
            note="涉及周边单位错峰停车，需街道主任协调。",
        )  # fmt: skip
        _backdate(r, before(p, 6), [p])

    title = "楼道里电动车充电安全"
    if not _exists(past, title):
        r = _file(
            street, rep=REP363[0], conference=past, compound="抚顺路363弄", building="5号", households=8,
            category="安全", department=CITY, title=title, filed=before(p, 5),
            text="有住户在楼道里给电动车充电，担心起火。",
        )  # fmt: skip
        request_answer_on_spot(
            actor=staff, request=r,
            answer="小区集中充电桩已在建设，下个月启用；居委会将上门宣传楼道充电的危险。",
        )  # fmt: skip
        _backdate(r, before(p, 5), [p], resolved_at=p, closed_at=p)

    title = "希望在小区里增设健身器材"
    if not _exists(past, title):
        r = _file(
            street, rep="rep", conference=past, compound="和平花园", building=None, households=30,
            category="其他", department=GREEN, title=title, filed=before(p, 4),
            text="老年人希望在中心绿地增加几件健身器材。",
        )  # fmt: skip
        request_decline(
            actor=staff, request=r,
            reason="中心绿地属于消防登高场地，不能安装器材；建议在居委会活动室设置室内健身角。",
        )  # fmt: skip
        _backdate(r, before(p, 4), [p], closed_at=p)

    # Pre-filed for the coming conference (filed, then attached to it, so the demo loads on any date).
    title = "高层垃圾分类定时投放不方便"
    if not _exists(upcoming, title):
        _file(
            street, rep="rep", conference=upcoming, compound="和平花园", building="D座", households=60,
            category="垃圾分类", department=GREEN, title=title, filed=before(u, 28),
            text="D座25层只在一楼设投放点，定时投放时段上班族赶不上，楼层里常有垃圾袋堆放。"
            "希望增加投放时段或设置楼层临时存放点。",
        )  # fmt: skip

    # 周建国 does not use the site: the residents' committee wrote this down for him.
    title = "抚顺路363弄路灯不亮"
    if not ConsultationRequest.objects.filter(conference=None, title=title).exists():
        compound, _building = _place(street, "抚顺路363弄", None)
        request_file_on_behalf(
            actor=_user("committee363"), representative=_user(REP363[0]), compound=compound, building=None,
            households=25, category=Category.objects.get(street=street, name="安全"),
            department=Department.objects.get(street=street, name=CITY), title=title,
            text="弄堂中段两盏路灯坏了一个多月，晚上老人出门不安全。",
        )  # fmt: skip

    title = "5号楼顶层漏水"
    if not _exists(upcoming, title):
        _file(
            street, rep=REP363[0], conference=upcoming, compound="抚顺路363弄", building="5号", households=4,
            category="房屋维修", department=HOUSING, title=title, filed=before(u, 26),
            text="顶层两户雨天漏水，希望纳入屋面修缮计划。",
        )  # fmt: skip
