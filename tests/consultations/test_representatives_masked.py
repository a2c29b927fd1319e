"""Representatives are masked in the consultations lists for every role (issue 13, item 2)."""

from django.urls import reverse

from tests.consultations.conftest import file_request


def test_lists_show_the_representative_masked_to_staff_committee_and_officers(cw, client):
    w = cw.w
    file_request(cw, department=w.housing)
    name = w.rita.full_name  # rita姓名
    for user, url in [
        (w.carl, reverse("consultations:neighbourhood")),
        (w.otto, reverse("consultations:follow_ups")),
        (w.alice, reverse("consultations:representatives")),
    ]:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert name not in html, url
        assert w.rita.masked_name in html, url
