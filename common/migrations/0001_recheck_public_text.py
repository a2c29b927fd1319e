"""Re-check what is already public for personal information (issue 13, 个人信息保护法).

Before the server checked public text (``common.publictext``), an officer could publish
"5号602室李建国（13800001111）家顶层漏水已修复" on the board. This migration looks at every text
a public page shows now and, where it finds a phone, ID-card or room number or the name of a
person on the record:

- a published gallery work is hidden (its workflow step, with a history row and the reason);
- text with no workflow to hide it (an activity, an approved application's title and
  convention, a board summary, a published campaign's purpose) has the fragments replaced
  by ** (a convention gets a new version, so the old one stays in its history);

and the person who wrote it is told in the inbox. Steps are taken in the name of an inactive
account, 系统自动检查, that cannot sign in.

The patterns are a frozen copy of ``common/publictext.py`` as it was when this was written: a
migration must not change behaviour when live code does.
"""

import re
import unicodedata

from django.core.files.storage import storages
from django.db import migrations
from django.utils import timezone

MASK = "**"
SYSTEM_USERNAME = "system-check"
SYSTEM_NAME = "系统自动检查"
REASON = "公开文字含有个人信息（电话、证件号、房号或姓名），已由系统自动检查隐藏：请删除这些内容后再发布。"

_SEP = r"[\s\-]?"
MOBILE = re.compile(rf"(?<!\d)(?:(?:\+|00)?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?!\d)")
LANDLINE = re.compile(
    r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[\s\-]?\d{3,4}[\s\-]?\d{4}(?!\d)"
    r"|(?<![\d.,])[2-9]\d{3}[\-\s]?\d{4}(?![\d.,])(?!\s*(?:元|万|平|米|㎡|m|人|户|次|个|件|份|年|号|名|位))"
)
ID_18 = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
ID_15 = re.compile(r"(?<!\d)\d{15}(?!\d)")
ROOM = re.compile(
    r"\d+\s*[号幢栋座]\s*(?:楼\s*)?\d+\s*单元\s*\d*\s*(?:室|号|户)?"
    r"|\d+\s*号\s*(?:楼\s*)?\d{3,4}\s*(?:室|房间|房)?"
    r"|\d+\s*号\s*\d{1,4}\s*(?:室|房间)"
    r"|\d+\s*层\s*\d+\s*(?:号|室|户)"
    r"|\d+\s*楼\s*\d+\s*号"
    r"|(?<![\d\-])\d{1,3}\s*[-－]\s*\d{3,4}(?![\d\-])"
    r"|\d{3,4}\s*(?:室|房间)"
    r"|(?:(?<=[座栋幢])|(?<=号楼)|(?<=住)|(?<=住在))\s*\d{3,4}(?!\d)"
    r"|\d{3,4}(?=\s*(?:家|住户|的业主|业主|的居民|居民))"
)
SURNAMES = (
    "欧阳|司马|诸葛|上官|东方|皇甫|慕容|尉迟|公孙|令狐|夏侯|端木|长孙|宇文|司徒|"
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫严段雷侯龙史陶黎贺顾毛郝龚邵万钱覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝]"
)
HONORIFICS = "阿姨|叔叔|师傅|大爷|大妈|大姐|大哥|阿婆|阿公|老伯|伯伯|爷爷|奶奶|老师|先生|女士|小姐|经理|主任|书记"
PERSON = re.compile(rf"(?:{SURNAMES})(?:{HONORIFICS})")
_HAN = r"[\u4e00-\u9fff]"
NAMED_IN_TEXT = re.compile(
    rf"(?:联系人|业主|住户|居民|户主|老人|家属|租户|反映人|申请人)[\s:：]*((?:{SURNAMES}){_HAN}{{1,2}})"
    rf"|(?:室|户|号)\s*((?:{SURNAMES}){_HAN}{{1,2}})(?=\s*[（(]|家|反映|说|的)"
    rf"|((?:{SURNAMES}){_HAN}{{1,2}})\s*[（(]\s*\+?\d"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _fold(text):
    out = []
    for char in text:
        plain = unicodedata.normalize("NFKC", char)
        if char in "－—–‐‑﹣":
            plain = "-"
        elif char == "\u3000":
            plain = " "
        out.append(plain if len(plain) == 1 else char)
    return "".join(out)


def _birth(yyyymmdd):
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def _id_18(number):
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper() and _birth(number[6:14])


def names_in(text):
    return [next(g for g in m.groups() if g) for m in NAMED_IN_TEXT.finditer(_fold(text or ""))]


def spans(text, names=(), allowed=()):
    """(start, end) of every personal fragment of ``text`` (the frozen ``find_personal``)."""
    if not text:
        return []
    plain = _fold(text)
    shelter = []
    for phrase in {_fold(p) for p in allowed if p and p.strip()}:
        start = plain.find(phrase)
        while start != -1:
            shelter.append((start, start + len(phrase)))
            start = plain.find(phrase, start + 1)
    found = [(m.start(), m.end()) for m in ID_18.finditer(plain) if _id_18(m.group())]
    found += [(m.start(), m.end()) for m in ID_15.finditer(plain) if _birth("19" + m.group()[6:12])]
    for pattern in (MOBILE, LANDLINE, ROOM, PERSON):
        found += [(m.start(), m.end()) for m in pattern.finditer(plain)]
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        start = plain.find(name)
        while start != -1:
            found.append((start, start + len(name)))
            start = plain.find(name, start + len(name))
    result, taken = [], -1
    for start, end in sorted(found, key=lambda s: (s[0], s[0] - s[1])):
        if start < taken:
            continue
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(low <= start and end <= high for low, high in shelter):
            continue
        result.append((start, end))
        taken = end
    return result


def masked(text, names=(), allowed=()):
    for start, end in reversed(spans(text, names, allowed)):
        text = text[:start] + MASK + text[end:]
    return text


class Recheck:
    def __init__(self, apps):
        self.apps = apps
        self.User = apps.get_model("corridors", "User")
        self.Notification = apps.get_model("corridors", "Notification")
        self._system = None
        self.now = timezone.now()

    @property
    def system(self):
        if self._system is None:
            self._system, _ = self.User.objects.get_or_create(
                username=SYSTEM_USERNAME, defaults={"full_name": SYSTEM_NAME, "is_active": False, "password": "!"}
            )
        return self._system

    def leaders(self, group_id):
        return list(
            self.User.objects.filter(roles__role="leader", roles__building_group_id=group_id).values_list(
                "full_name", flat=True
            )
        )

    def places(self, group):
        building, name = group.building.name, group.name
        return [f"{building} {name}", f"{building}{name}", building, name]

    def tell(self, user_id, what, url, application_id=None):
        if user_id is None:
            return
        self.Notification.objects.create(
            recipient_id=user_id,
            actor=self.system,
            application_id=application_id,
            verb="公开文字已遮盖" if "**" in what else "作品已隐藏",
            message=what,
            url=url,
        )

    def works(self):
        Work = self.apps.get_model("corridors", "GalleryWork")
        Transition = self.apps.get_model("corridors", "WorkTransition")
        Image = self.apps.get_model("corridors", "WorkImage")
        for work in Work.objects.filter(state="published").select_related("group__building", "created_by"):
            shown = work.author_name if work.author_consent else ""
            names = [n for n in [*self.leaders(work.group_id), work.created_by.full_name] if n != shown]
            allowed = [*self.places(work.group), shown]
            texts = (work.title, work.text, work.ingredients, work.steps)
            if not any(spans(text, names, allowed) for text in texts):
                continue
            Work.objects.filter(pk=work.pk).update(
                state="hidden", hidden_reason=REASON, hidden_by=self.system, hidden_at=self.now
            )
            Transition.objects.create(
                work=work, actor=self.system, action="hide", from_state="published", to_state="hidden", note=REASON
            )
            for image in Image.objects.filter(work=work):
                _to_private(image.image_small.name, image.image_medium.name, image.image_large.name)
            self.tell(work.created_by_id, f"“{work.title}”：{REASON}", f"/manage/gallery/works/{work.pk}/")

    def activities(self):
        Activity = self.apps.get_model("corridors", "Activity")
        for activity in Activity.objects.select_related("group__building", "created_by"):
            names = [*self.leaders(activity.group_id), activity.created_by.full_name]
            allowed = self.places(activity.group)
            fields = {f: masked(getattr(activity, f), names, allowed) for f in ("title", "place", "description")}
            if all(fields[f] == getattr(activity, f) for f in fields):
                continue
            Activity.objects.filter(pk=activity.pk).update(**fields)
            self.tell(
                activity.created_by_id,
                f"活动“{fields['title']}”的公开文字含有个人信息，已遮盖为**，请核对。",
                f"/manage/gallery/activities/{activity.pk}/",
            )

    def applications(self):
        Application = self.apps.get_model("corridors", "Application")
        Version = self.apps.get_model("corridors", "ConventionVersion")
        hidden_states = ["draft", "submitted", "endorsed", "returned", "rejected", "withdrawn"]
        for application in Application.objects.exclude(state__in=hidden_states).select_related(
            "group__building", "created_by"
        ):
            names = [*self.leaders(application.group_id), application.created_by.full_name]
            allowed = self.places(application.group)
            title = masked(application.title, names, allowed)
            latest = Version.objects.filter(application=application).order_by("-number").first()
            convention = masked(latest.text, names, allowed) if latest else ""
            changed = False
            if title != application.title:
                Application.objects.filter(pk=application.pk).update(title=title)
                changed = True
            if latest and convention != latest.text:
                Version.objects.create(
                    application=application, number=latest.number + 1, text=convention, author=self.system
                )
                changed = True
            if changed:
                self.tell(
                    application.created_by_id,
                    f"申请“{title}”在公开页面上的标题或楼道公约含有个人信息，已遮盖为**，请核对。",
                    f"/applications/{application.pk}/",
                    application_id=application.pk,
                )

    def board(self):
        Request = self.apps.get_model("consultations", "ConsultationRequest")
        Event = self.apps.get_model("consultations", "RequestEvent")
        rows = Request.objects.filter(state="confirmed").exclude(public_summary="")
        for request in rows.select_related(
            "representative", "registered_by", "assigned_officer", "compound", "building"
        ):
            people = (request.representative, request.registered_by, request.assigned_officer)
            names = [p.full_name for p in people if p is not None]
            names += names_in("\n".join([request.title, request.text, request.resolution]))
            allowed = [p.name for p in (request.compound, request.building) if p is not None]
            summary = masked(request.public_summary, names, allowed)
            if summary == request.public_summary:
                continue
            Request.objects.filter(pk=request.pk).update(public_summary=summary)
            resolver = Event.objects.filter(request=request, action="resolve").order_by("-pk").first()
            self.tell(
                resolver.actor_id if resolver else request.registered_by_id,
                f"诉求 #{request.pk} 在“你反映·我来办”上的公开摘要含有个人信息，已遮盖为：{summary}",
                f"/consultations/requests/{request.pk}/",
            )

    def campaigns(self):
        Campaign = self.apps.get_model("funds", "Campaign")
        Unit = self.apps.get_model("funds", "Unit")
        for campaign in Campaign.objects.filter(notice__state="published").select_related("building__compound"):
            owners = Unit.objects.filter(campaign=campaign).values_list("owner_name", flat=True)
            allowed = [campaign.building.name, campaign.building.compound.name]
            purpose = masked(campaign.purpose, list(owners), allowed)
            if purpose == campaign.purpose:
                continue
            Campaign.objects.filter(pk=campaign.pk).update(purpose=purpose)
            self.tell(
                campaign.created_by_id,
                f"专项维修资金续筹公示的用途含有个人信息，已遮盖为：{purpose}",
                f"/funds/{campaign.pk}/",
            )


def _to_private(*names):
    """A hidden work's pictures leave the public store (as the hide step does), by the storage API."""
    public, private = storages["public"], storages["private"]
    for name in names:
        if not name or not public.exists(name):
            continue
        if private.exists(name):
            private.delete(name)
        with public.open(name, "rb") as handle:
            private.save(name, handle)
        public.delete(name)


def recheck(apps, schema_editor):
    check = Recheck(apps)
    check.works()
    check.activities()
    check.applications()
    check.board()
    check.campaigns()


class Migration(migrations.Migration):
    dependencies = [
        ("corridors", "0007_work_history"),
        ("consultations", "0004_history_rows_are_state_changes"),
        ("funds", "0008_consent_previous_status"),
    ]

    operations = [migrations.RunPython(recheck, migrations.RunPython.noop, elidable=True)]
