"""The server's check of text bound for a public page (个人信息保护法: nothing personal in public).

Anything a public page shows as written by someone — the board 你反映·我来办's summary, a
gallery work's title and words, an activity's title and description, an application's title
and residents' convention, a campaign's purpose on its public notice — passes through
``check_public_text`` before it is saved. It refuses text that carries:

- a mobile number (138 0000 1111, 138-0000-1111, full-width digits, +86),
- a landline (021-6543 2100, 6543-2100, a bare eight-digit number),
- an ID-card number (18 digits with a valid check digit, or 15 digits with a valid birth date),
- a room or unit number (5号602室, 602室, 3幢2单元, 12-301, 1201 after a building, 住1201),
- the name of a person on the record (the request's representative, anyone named in its
  private text, a work's author who did not agree to be named, a group's leader...), or a
  person named by surname and honorific (李阿姨, 王师傅).

The refusal names each kind found and shows the text with the offending fragments in
``<mark>`` (escaped, server-rendered: no script, no style). The patterns work on a copy of
the text where full-width characters are folded to their plain forms one for one, so the
positions found are positions in the text as written.

``common/migrations/0001_recheck_public_text.py`` keeps its own frozen copy of these
patterns (a migration must not import live code); ``manage.py recheck_public_text`` runs the
live ones over what is already published.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

MOBILE = "mobile"
LANDLINE = "landline"
ID_CARD = "id_card"
ROOM = "room"
NAME = "name"

KIND_LABELS = {
    MOBILE: _("a mobile phone number"),
    LANDLINE: _("a telephone number"),
    ID_CARD: _("an ID-card number"),
    ROOM: _("a room or unit number"),
    NAME: _("a person's name"),
}

# Digits not glued to other digits; separators inside a number: spaces and dashes.
_SEP = r"[\s\-]?"
MOBILE_PATTERN = re.compile(rf"(?<!\d)(?:(?:\+|00)?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?!\d)")
# Area code + number (021-65432100, 0571 8888 7777), or a local eight-digit number
# (65432100, 6543-2100, 6543 2100) that is not an amount, an area or a count.
LANDLINE_PATTERN = re.compile(
    r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[\s\-]?\d{3,4}[\s\-]?\d{4}(?!\d)"
    r"|(?<![\d.,])[2-9]\d{3}[\-\s]?\d{4}(?![\d.,])(?!\s*(?:元|万|平|米|㎡|m|人|户|次|个|件|份|年|号|名|位))"
)
ID_18 = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
ID_15 = re.compile(r"(?<!\d)\d{15}(?!\d)")
# Rooms and units, most specific first. Counts such as "192户" or "3单元的居民" are not rooms;
# a group's own name ("5号 1单元") is allowed by the caller (``allowed=``).
ROOM_PATTERN = re.compile(
    r"\d+\s*[号幢栋座]\s*(?:楼\s*)?\d+\s*单元\s*\d*\s*(?:室|号|户)?"  # 3幢2单元, 5号楼2单元301室
    r"|\d+\s*号\s*(?:楼\s*)?\d{3,4}\s*(?:室|房间|房)?"  # 5号602室, 3号楼1102
    r"|\d+\s*号\s*\d{1,4}\s*(?:室|房间)"  # 2号12室
    r"|\d+\s*层\s*\d+\s*(?:号|室|户)"  # 12层1号
    r"|\d+\s*楼\s*\d+\s*号"  # 8楼1号
    r"|(?<![\d\-])\d{1,3}\s*[-－]\s*\d{3,4}(?![\d\-])"  # 12-301
    r"|\d{3,4}\s*(?:室|房间)"  # 602室
    r"|(?:(?<=[座栋幢])|(?<=号楼)|(?<=住)|(?<=住在))\s*\d{3,4}(?!\d)"  # D座1201, 住1201
    r"|\d{3,4}(?=\s*(?:家|住户|的业主|业主|的居民|居民))"  # 1201家, 602业主
)
# Common surnames (two-character ones first), for "张阿姨", "王师傅", "欧阳老师".
SURNAMES = (
    "欧阳|司马|诸葛|上官|东方|皇甫|慕容|尉迟|公孙|令狐|夏侯|端木|长孙|宇文|司徒|"
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫严段雷侯龙史陶黎贺顾毛郝龚邵万钱覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝]"
)
HONORIFICS = "阿姨|叔叔|师傅|大爷|大妈|大姐|大哥|阿婆|阿公|老伯|伯伯|爷爷|奶奶|老师|先生|女士|小姐|经理|主任|书记"
PERSON_PATTERN = re.compile(rf"(?:{SURNAMES})(?:{HONORIFICS})")
# Where private text names someone: "联系人李明", "业主王建国", "602室李建国", "李建国（138…".
_HAN = r"[\u4e00-\u9fff]"
NAMED_IN_TEXT = re.compile(
    rf"(?:联系人|业主|住户|居民|户主|老人|家属|租户|反映人|申请人)[\s:：]*((?:{SURNAMES}){_HAN}{{1,2}})"
    rf"|(?:室|户|号)\s*((?:{SURNAMES}){_HAN}{{1,2}})(?=\s*[（(]|家|反映|说|的)"
    rf"|((?:{SURNAMES}){_HAN}{{1,2}})\s*[（(]\s*\+?\d"
)

# ID-card check digit (GB 11643-1999).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    fragment: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def fold(text: str) -> str:
    """Full-width digits, letters and dashes as plain ones, one character for one (positions kept)."""
    out = []
    for char in text:
        plain = unicodedata.normalize("NFKC", char)
        if char in "－—–‐‑﹣":
            plain = "-"
        elif char == "\u3000":
            plain = " "
        out.append(plain if len(plain) == 1 else char)
    return "".join(out)


def valid_id_18(number: str) -> bool:
    digits = number.upper()
    if not digits[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17] and _plausible_birth(digits[6:14])


def valid_id_15(number: str) -> bool:
    return number.isdigit() and _plausible_birth("19" + number[6:12])


def _plausible_birth(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def names_in(text: str) -> list[str]:
    """Names that private text gives (联系人李明, 602室李建国（…), so public text can be checked for them."""
    found = []
    for match in NAMED_IN_TEXT.finditer(fold(text or "")):
        name = next(group for group in match.groups() if group)
        found.append(name)
    return found


def _clean_names(names: Iterable[str]) -> list[str]:
    cleaned = {n.strip() for n in names if n and len(n.strip()) >= 2}
    return sorted(cleaned, key=len, reverse=True)


def find_personal(text: str, *, names: Iterable[str] = (), allowed: Iterable[str] = ()) -> list[Finding]:
    """Every fragment of ``text`` a public page must not show, in order, without overlaps.

    ``names``: people on the record whose names must not appear. ``allowed``: phrases the page
    may show although they look like a unit number (the group's own name, "5号 1单元"); only a
    fragment wholly inside one of them is let through ("D座" allows "D座", not "D座1201").
    """
    if not text:
        return []
    plain = fold(text)
    # Where the allowed phrases stand: a finding wholly inside one of them is no finding.
    shelter = []
    for phrase in {fold(p) for p in allowed if p and p.strip()}:
        start = plain.find(phrase)
        while start != -1:
            shelter.append((start, start + len(phrase)))
            start = plain.find(phrase, start + 1)
    spans: list[tuple[int, int, str]] = []
    for match in ID_18.finditer(plain):
        if valid_id_18(match.group()):
            spans.append((match.start(), match.end(), ID_CARD))
    for match in ID_15.finditer(plain):
        if valid_id_15(match.group()):
            spans.append((match.start(), match.end(), ID_CARD))
    for pattern, kind in ((MOBILE_PATTERN, MOBILE), (LANDLINE_PATTERN, LANDLINE), (ROOM_PATTERN, ROOM)):
        spans.extend((m.start(), m.end(), kind) for m in pattern.finditer(plain))
    for name in _clean_names(names):
        start = plain.find(name)
        while start != -1:
            spans.append((start, start + len(name), NAME))
            start = plain.find(name, start + len(name))
    spans.extend((m.start(), m.end(), NAME) for m in PERSON_PATTERN.finditer(plain))
    findings: list[Finding] = []
    taken_until = -1
    # Earliest first; at one position the longest wins; overlapping later spans are dropped.
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < taken_until:
            continue
        # Whitespace caught at the edges belongs to the sentence, not to the number.
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(low <= start and end <= high for low, high in shelter):
            continue
        findings.append(Finding(kind=kind, start=start, end=end, fragment=text[start:end]))
        taken_until = end
    return findings


def highlighted(text: str, findings: list[Finding]) -> SafeString:
    """``text`` escaped, with each finding in ``<mark>``."""
    pairs, position = [], 0
    for finding in findings:
        pairs.append((text[position : finding.start], finding.fragment))
        position = finding.end
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", pairs), text[position:])


def refusal_message(text: str, findings: list[Finding]) -> SafeString:
    kinds = []
    for finding in findings:
        if finding.label not in kinds:
            kinds.append(finding.label)
    return format_html(
        "{} {}<br>{}",
        _("This text is shown to the public, so it must not contain personal information. It contains %(kinds)s:")
        % {"kinds": str(_(", ")).join(kinds)},
        highlighted(text, findings),
        _("Please remove the marked parts (write 居民 or the building instead) and save again."),
    )


def check_public_text(text: str, *, names: Iterable[str] = (), allowed: Iterable[str] = (), field=None) -> None:
    """Raise ``ValidationError`` (code ``personal``) when ``text`` carries personal information.

    The message is safe HTML: the reason, then the text with each offending fragment marked.
    """
    findings = find_personal(text, names=names, allowed=allowed)
    if findings:
        raise ValidationError(refusal_message(text, findings), code="personal")


def mask_personal(text: str, *, names: Iterable[str] = (), allowed: Iterable[str] = (), mask: str = "**") -> str:
    """``text`` with every finding replaced by ``mask`` (used where already published text is
    redacted because nothing can hide it)."""
    findings = find_personal(text, names=names, allowed=allowed)
    for finding in reversed(findings):
        text = text[: finding.start] + mask + text[finding.end :]
    return text


def require_public_text(fields: dict[str, str], *, names: Iterable[str] = (), allowed: Iterable[str] = ()) -> None:
    """Raise one ``ValidationError`` naming each field of ``fields`` (name -> text) that carries
    personal information; services call it before saving text a public page shows."""
    names, allowed = list(names), list(allowed)
    errors = {}
    for field, text in fields.items():
        findings = find_personal(text or "", names=names, allowed=allowed)
        if findings:
            errors[field] = ValidationError(refusal_message(text, findings), code="personal")
    if errors:
        raise ValidationError(errors)


def public_text_refusal(text: str, *, field: str, names: Iterable[str] = (), allowed: Iterable[str] = ()):
    """The ``Refused`` a service raises for ``text`` (or ``None`` when it may be public)."""
    from common.refusals import Refused

    findings = find_personal(text or "", names=names, allowed=allowed)
    return Refused(refusal_message(text, findings), field=field) if findings else None


def check_form_fields(form, field_names, *, names: Iterable[str] = (), allowed: Iterable[str] = ()) -> None:
    """Run ``check_public_text`` on each of a form's cleaned fields; errors go beside the field."""
    data = getattr(form, "cleaned_data", {})
    for name in field_names:
        value = data.get(name)
        if not value or not isinstance(value, str):
            continue
        try:
            check_public_text(value, names=names, allowed=allowed)
        except ValidationError as error:
            form.add_error(name, error)
