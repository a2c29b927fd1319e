"""What the public board may say about a request: category, place and a reviewed summary.

个人信息保护法: no names, no phone numbers, no room numbers. The board shows only the
``public_summary`` that the officer or street staff resolving a request read and approved
(it never renders the representative, the officer, the residents' own text or the
representative's summary). ``anonymise`` is the aid that pre-fills that field: it masks what
it recognises, and the person resolving checks the rest by eye.
"""

import re

from common.publictext import names_in

MASK = "**"

# A phone or ID number: seven or more digits, possibly broken by spaces or dashes.
LONG_NUMBER = re.compile(r"\d(?:[\s\-－]*\d){6,}")
# A room or flat, most specific first: 3号502室, 12层1号, 1201室, 12-301, 3号502, 502户, 8楼1号,
# and a bare 3–4 digit number right after a building (D座1201, 5栋302, 3号楼1102, 2幢601).
ROOM = re.compile(
    r"\d+\s*号\s*\d+\s*(?:室|户|房间|房)?"
    r"|\d+\s*层\s*\d+\s*(?:号|室|户)"
    r"|\d+\s*楼\s*\d+\s*号?"
    r"|\d+\s*[-－]\s*\d+"
    r"|\d+\s*(?:室|户|房间|房)"
    r"|(?:(?<=[座栋幢])|(?<=号楼))\s*\d{3,4}(?!\d)"
)
# Common surnames (two-character ones first), for "张阿姨", "王叔叔", "李师傅", "欧阳老师".
SURNAME = (
    "欧阳|司马|诸葛|上官|东方|皇甫|慕容|尉迟|公孙|令狐|夏侯|端木|长孙|宇文|司徒|"
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫严段雷侯龙史陶黎贺顾毛郝龚邵万钱覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝]"
)
HONORIFIC = "阿姨|叔叔|师傅|大爷|大妈|大姐|大哥|阿婆|阿公|老伯|伯伯|爷爷|奶奶|老师|先生|女士|小姐|经理|主任|书记"
# A person named by surname and honorific, or a contact person's name (联系人李明, 联系人：王芳).
PERSON = re.compile(rf"(?:{SURNAME})(?:{HONORIFIC})|(?<=联系人)[\s:：]*[\u4e00-\u9fff]{{2,3}}")


def anonymise(text: str, names=()) -> str:
    """The text with known names, people, phone numbers and room numbers masked.

    A pre-fill aid, not a guarantee: the person resolving the request reviews the result.
    """
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, MASK)
    text = LONG_NUMBER.sub(MASK, text)
    text = ROOM.sub(MASK, text)
    return PERSON.sub(MASK, text)


def suggested_summary(request) -> str:
    """What the resolve form pre-fills: the request's summary, scrubbed of the names we know."""
    names = [request.representative.full_name, request.assigned_officer.full_name if request.assigned_officer else ""]
    return anonymise(request.title, names)


def private_names(request, *also: str) -> list[str]:
    """The people a request's public summary must not name: its representative, who registered
    it, the officer following it, and anyone its private text names (``common.publictext``)."""
    people = [request.representative, request.registered_by, request.assigned_officer]
    written = "\n".join([request.title, request.text, request.resolution, *also])
    return [person.full_name for person in people if person is not None] + names_in(written)


def board_places(request) -> list[str]:
    """What the board shows beside the summary anyway: the compound and the building."""
    return [place.name for place in (request.compound, request.building) if place is not None]
