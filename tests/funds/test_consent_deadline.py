"""The consent form says by when to hand it back (issue 14): a manager sets the campaign's
return deadline, and every printed consent form shows it in 年月日 with whom to hand it to
and the proxy line; without one, the form leaves the date to write by hand."""

import datetime

from django.urls import reverse

from funds.models import Campaign
from funds.services.campaigns import CAMPAIGN_FIELDS
from tests.funds.conftest import add_units


def edit_data(campaign, **changes):
    data = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    data["consent_deadline"] = ""
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


def test_a_manager_sets_the_return_deadline_and_the_form_prints_it(world, campaign, as_user):
    unit = add_units(campaign, 1)[0]
    client = as_user(world.alice)
    response = client.post(
        reverse("funds:edit", args=[campaign.pk]), edit_data(campaign, consent_deadline="2027-01-15")
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.consent_deadline == datetime.date(2027, 1, 15)

    detail = client.get(campaign.get_absolute_url()).content.decode()
    assert "2027年1月15日" in detail

    printed = client.get(reverse("funds:unit_print", args=[unit.pk])).content.decode()
    assert "请于以下日期前交回本表" in printed
    assert "data-consent-deadline>2027年1月15日<" in printed.replace("\n", "").replace(" ", "")
    assert "代理人" in printed


def test_without_a_deadline_the_form_leaves_the_date_to_write(world, campaign, as_user):
    unit = add_units(campaign, 1)[0]
    printed = as_user(world.alice).get(reverse("funds:unit_print", args=[unit.pk])).content.decode()
    assert "data-consent-deadline" not in printed
    assert "请于以下日期前交回本表" in printed and "年　　月　　日" in printed


def test_a_deadline_out_of_range_is_refused_in_chinese_and_nothing_changes(world, campaign, as_user):
    response = as_user(world.alice).post(
        reverse("funds:edit", args=[campaign.pk]), edit_data(campaign, consent_deadline="1999-12-31")
    )
    assert response.status_code == 200
    page = response.content.decode()
    # At the top, naming the field, in Chinese.
    assert "data-error-summary" in page
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert "“交回同意书截止日期”" in summary and "之间的日期" in summary
    assert "请检查以下几项后再保存" in summary  # an edit page: save again
    assert Campaign.objects.get(pk=campaign.pk).consent_deadline is None
