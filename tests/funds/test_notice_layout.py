"""The public notice reads as a 公示: who issues it, the day it was published, the notice
period, how to object (the committee's address and telephone) and the issuer's signature line."""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from funds.services.notice import notice_publish


def test_a_published_notice_names_issuer_date_period_and_objection_channel(world, campaign, client):
    neighbourhood = campaign.building.compound.neighbourhood
    neighbourhood.committee_name, neighbourhood.address, neighbourhood.phone = (
        "鞍山四村居委会",
        "鞍山路1号",
        "021-65430000",
    )
    neighbourhood.save()
    notice_publish(campaign=campaign, actor=world.carl)
    with translation.override("zh-hans"):
        html = client.get(reverse("funds:notice", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    today = timezone.localdate()
    ends = today + datetime.timedelta(days=7)
    published = f"{today.year}年{today.month}月{today.day}日"
    assert "公示单位" in html and "鞍山四村居委会" in html
    assert f"{published}至{ends.year}年{ends.month}月{ends.day}日" in html
    assert "异议" in html and "鞍山路1号" in html and 'href="tel:021-65430000"' in html
    # The issuer signs at the foot with the date.
    signature = html.split('class="notice-signature text-end"')[1].split("</p>")[0]
    assert "鞍山四村居委会" in signature and published in signature


def test_a_preview_says_the_period_starts_on_publishing(world, campaign, client):
    client.force_login(world.carl)
    html = client.get(reverse("funds:notice", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "自发布之日起7天" in html and "尚未发布" in html
