"""An empty campaign list offers no "Export to Excel" (an export of nothing) and says it is empty."""

from django.urls import reverse

from tests.funds.conftest import make_campaign


def campaigns_page(client, query="") -> str:
    return client.get(reverse("funds:list") + query, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_a_leader_with_no_campaign_sees_an_empty_state_and_no_export(world, as_user):
    html = campaigns_page(as_user(world.leo))
    assert "data-export" not in html and "导出 Excel" not in html
    assert "data-empty" in html and "还没有续筹项目。" in html
    assert "<table" not in html


def test_a_leader_with_a_campaign_can_export_it(world, as_user):
    make_campaign(world)
    html = campaigns_page(as_user(world.leo))
    assert "data-export" in html and "data-empty" not in html
    assert "更换电梯" in html
