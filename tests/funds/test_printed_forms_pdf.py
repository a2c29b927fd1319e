"""Every printed form comes out of Chromium as one A4 page with 年 月 日 left to write by
hand: the application form, the acceptance check record, the payout voucher, the
certificate and the owner's consent form (rendered with page.pdf, read back with pypdf)."""

import io
import re
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import browser_login
from tests.funds.conftest import add_units, make_campaign
from tests.funds.test_acceptance import award_for
from tests.funds.test_payouts import culture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A CJK font draws 长 and its radical ⻓ with one glyph, and the PDF's text layer may name the
# radical: compare what a reader sees (Kangxi radicals by NFKC, the simplified ones by this table).
LOOK_ALIKES = str.maketrans(
    "⺠⺝⺰⻅⻆⻈⻉⻋⻌⻐⻓⻔⻙⻚⻛⻜⻠⻢⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "民月纟见角讠贝车辶钅长门韦页风飞饣马鱼鸟卤麦黄黾齐齿龙龟",
)


def as_read(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", c) if "\u2f00" <= c <= "\u2fdf" else c for c in text).translate(
        LOOK_ALIKES
    )


A4 = (595.28, 841.89)  # points
# 年, then room to write (spaces, full-width or not), 月, room, 日.
HAND_DATE = re.compile(r"年[\s\u3000]+月[\s\u3000]+日")


def pdf_of(page, url) -> PdfReader:
    page.goto(url)
    return PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True, prefer_css_page_size=True)))


def test_each_printed_form_is_one_a4_page_with_a_date_to_write(world, live_server, page):
    award = award_for(world)
    payout = culture(world, award)
    unit = add_units(make_campaign(world), 1)[0]
    forms = {
        "application": reverse("applications:print", args=[award.check_record.application_id]),
        "check record": reverse("funds:check_print", args=[award.check_record_id]),
        "voucher": reverse("funds:voucher", args=[payout.pk]),
        "certificate": reverse("funds:certificate", args=[award.pk]),
        "consent form": reverse("funds:unit_print", args=[unit.pk]),
    }
    browser_login(page, live_server, "alice")
    texts = {}
    for name, url in forms.items():
        reader = pdf_of(page, f"{live_server.url}{url}")
        assert len(reader.pages) == 1, name
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (round(A4[0]), round(A4[1])), name
        texts[name] = as_read(reader.pages[0].extract_text())
    for name in ("application", "check record", "voucher", "consent form"):
        assert HAND_DATE.search(texts[name]), (name, texts[name][-300:])
        assert not re.search(r"年度[\s\u3000]*月", texts[name]), name
    # pypdf puts spaces between runs of Chinese and digits: compare the content without them.
    flat = {name: re.sub(r"[\s\u3000]", "", text) for name, text in texts.items()}
    # A building group has no seal: its leader signs.
    assert flat["application"].count("楼组长（签名）") == 1 and flat["voucher"].count("楼组长（签名）") == 1
    assert flat["application"].count("负责人（签名）") == 2 and flat["application"].count("（盖章）") == 2
    # The voucher names the payee and the amount in figures and in capitals.
    assert "收款方" in flat["voucher"] and "金额（大写）" in flat["voucher"] and "元整" in flat["voucher"]
    # The certificate names the corridor once, with a place for the seal.
    assert flat["certificate"].count(world.g1.name) == 1 and "盖章处" in flat["certificate"]
    # The consent form: return deadline, whom to hand it to, a proxy line.
    assert "交回" in flat["consent form"] and "代理人（签名）" in flat["consent form"]
    # The check record has lines for the inspectors to sign.
    assert "验收人（签名）" in flat["check record"]
