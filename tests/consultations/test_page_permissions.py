"""A page a role may not use says why, in Chinese, on its 403 page (``consultations/rules.py``)."""

import pytest
from django.urls import reverse

from tests.consultations.conftest import file_request

pytestmark = pytest.mark.django_db

GENERIC = "您的账号没有访问此页面所需的角色"


def test_a_representative_is_told_why_the_overview_is_not_for_them(cw, as_user):
    response = as_user(cw.w.rita).get(reverse("consultations:overview"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "只有街道办事处和区级、市级用户可以查看全街道诉求总览。" in page
    assert GENERIC not in page


def test_finance_is_told_who_records_the_terms(cw, as_user):
    response = as_user(cw.w.fay).get(reverse("consultations:representatives"))
    assert response.status_code == 403
    assert "只有街道办事处可以登记社区代表的届次。" in response.content.decode()


@pytest.mark.parametrize("who", ["rita", "otto", "alice", "carl", "fay", "leo", "nobody"])
def test_every_refused_page_says_why(cw, as_user, who):
    r = file_request(cw, conference=cw.upcoming)
    client = as_user(getattr(cw.w, who))
    names = [
        "mine", "request_new", "my_queues", "follow_ups", "overview", "overview_export", "neighbourhood",
        "request_on_behalf", "categories", "representatives", "conferences", "conference_new",
    ]  # fmt: skip
    urls = [reverse(f"consultations:{name}") for name in names]
    urls += [
        reverse("consultations:report", args=[cw.upcoming.pk]),
        reverse("consultations:request", args=[r.pk]),
    ]
    refused = 0
    for url in urls:
        response = client.get(url)
        if response.status_code == 403:
            refused += 1
            page = response.content.decode()
            assert "只有" in page and GENERIC not in page, url
    # Each of these personas is refused somewhere (so the loop checked something).
    assert refused
