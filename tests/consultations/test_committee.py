"""The residents' committee: reads its neighbourhood's requests (no steps, no residents' files)
and files for a representative who cannot use the site.

carl serves on N1's committee (rita's neighbourhood), cindy on N2's.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from common.refusals import Refused
from consultations.models import Channel, ConsultationRequest, RequestEvent
from consultations.services.attachments import attachment_add
from consultations.services.requests import (
    request_accept,
    request_confirm,
    request_decline,
    request_file_on_behalf,
    request_resolve,
)
from consultations.workflows.request import RequestState
from corridors.models import Notification, Role
from corridors.services.people import role_assign
from tests import factories as f
from tests.consultations.conftest import file_request, fresh
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=14)
PDF = pdf_bytes()  # a real PDF: uploads are read with pypdf


@pytest.fixture
def rosa(cw):
    """A representative of N2 (cindy's neighbourhood)."""
    rep = f.UserFactory(username="rosa", full_name="罗莎")
    role_assign(user=rep, role=Role.REPRESENTATIVE, street=cw.w.street, neighbourhood=cw.w.n2)
    return rep


def n2_request(cw, rosa, title="363弄的诉求"):
    return file_request(cw, rep=rosa, compound=cw.w.g2.building.compound, building=cw.w.g2.building, title=title)


# --- Reading -----------------------------------------------------------------------------------


def test_the_committee_lists_only_its_neighbourhoods_requests(cw, as_user, rosa):
    late = file_request(cw, title="和平花园逾期的诉求")
    request_accept(actor=cw.w.otto, request=late, due_date=SOON)
    ConsultationRequest.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    file_request(cw, department=cw.greening, title="和平花园绿化")
    n2_request(cw, rosa)
    response = as_user(cw.w.carl).get(reverse("consultations:neighbourhood"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "和平花园逾期的诉求" in page and "和平花园绿化" in page and "363弄的诉求" not in page
    # Overdue stands out here too; the state is shown.
    assert 'data-overdue-count="1"' in page and 'class="table-danger"' in page
    assert 'data-state="accepted"' in page and cw.w.rita.full_name not in page and cw.w.rita.masked_name in page
    cindy_page = as_user(cw.w.cindy).get(reverse("consultations:neighbourhood")).content.decode()
    assert "363弄的诉求" in cindy_page and "和平花园绿化" not in cindy_page


def test_the_committee_list_filters_by_state(cw, as_user):
    accepted = file_request(cw, title="已受理的诉求")
    request_accept(actor=cw.w.otto, request=accepted, due_date=SOON)
    file_request(cw, title="新提交的诉求")
    page = as_user(cw.w.carl).get(reverse("consultations:neighbourhood"), {"state": "accepted"}).content.decode()
    assert "已受理的诉求" in page and "新提交的诉求" not in page


@pytest.mark.parametrize(("who", "status"), [("carl", 200), ("cindy", 200), ("rita", 403), ("otto", 403)])
def test_the_neighbourhood_page_is_for_the_committee(cw, as_user, who, status):
    assert as_user(getattr(cw.w, who)).get(reverse("consultations:neighbourhood")).status_code == status


def test_the_committee_is_sent_to_its_page(cw, as_user):
    response = as_user(cw.w.carl).get(reverse("consultations:index"))
    assert response.status_code == 302 and response.url == reverse("consultations:neighbourhood")


def test_the_committee_reads_a_request_but_takes_no_step_and_cannot_open_residents_files(cw, as_user, rosa):
    r = file_request(cw, attachments=[("pdf", ContentFile(PDF, name="x.pdf"))])
    client = as_user(cw.w.carl)
    page = client.get(reverse("consultations:request", args=[r.pk])).content.decode()
    assert r.text in page and "data-step=" not in page
    assert reverse("consultations:attachment_upload", args=[r.pk]) not in page
    attachment = r.attachments.get()
    assert reverse("consultations:attachment", args=[attachment.pk]) not in page
    assert client.get(reverse("consultations:attachment", args=[attachment.pk])).status_code == 404
    # Posting a step anyway is refused and changes nothing.
    response = client.post(
        reverse("consultations:request_step", args=[r.pk, "decline"]), {"state": "submitted", "note": "no"}
    )
    assert response.status_code == 302 and ConsultationRequest.objects.get(pk=r.pk).state == RequestState.SUBMITTED
    with pytest.raises(Refused):
        request_decline(actor=fresh(cw.w.carl), request=r, reason="no")
    with pytest.raises(Refused):
        attachment_add(actor=fresh(cw.w.carl), request=r, kind="pdf", content=ContentFile(PDF, name="y.pdf"))
    # Another neighbourhood's request is not found.
    assert as_user(cw.w.cindy).get(reverse("consultations:request", args=[r.pk])).status_code == 404


# --- Filing on a representative's behalf -------------------------------------------------------------


def on_behalf(cw, actor, representative, **overrides):
    values = {
        "actor": actor,
        "representative": representative,
        "compound": cw.w.g1.building.compound,
        "building": cw.w.g1.building,
        "households": 4,
        "category": cw.elevator,
        "title": "代表不会用手机，居委会代为登记",
        "text": "电梯按钮失灵。",
        "department": cw.w.housing,
    }
    values.update(overrides)
    return request_file_on_behalf(**values)


def test_the_committee_files_for_a_representative_who_then_owns_it(cw):
    w = cw.w
    r = on_behalf(cw, w.carl, w.rita, conference=cw.upcoming)
    assert (r.representative, r.registered_by, r.channel) == (w.rita, w.carl, Channel.PRE_FILED)
    event = RequestEvent.objects.get(request=r)
    assert (event.action, event.actor) == ("file_on_behalf", w.carl)
    # The representative and the department are told.
    assert set(Notification.objects.filter(url=r.get_absolute_url()).values_list("recipient__username", flat=True)) == {
        "rita",
        "otto",
    }
    # The request is the representative's: she confirms it in the end.
    request_accept(actor=w.otto, request=r, due_date=SOON)
    request_resolve(actor=w.otto, request=r, resolution="已修好。", public_summary="已办结")
    request_confirm(actor=w.rita, request=r)
    assert ConsultationRequest.objects.get(pk=r.pk).state == RequestState.CONFIRMED


def test_filing_on_behalf_is_refused_outside_the_committees_neighbourhood(cw, rosa):
    w = cw.w
    with pytest.raises(Refused):
        on_behalf(cw, w.cindy, w.rita)  # N1 compound, cindy serves N2
    with pytest.raises(Refused):
        on_behalf(cw, w.carl, rosa)  # rosa represents N2, not N1
    with pytest.raises(Refused):
        on_behalf(cw, w.alice, w.rita)  # street staff register walk-ins at a stall instead
    with pytest.raises(Refused):
        on_behalf(cw, w.carl, w.leo)  # not a representative
    assert not ConsultationRequest.objects.exists()


def test_filing_on_behalf_through_the_page(cw, as_user):
    w = cw.w
    client = as_user(w.carl)
    url = reverse("consultations:request_on_behalf")
    page = client.get(url).content.decode()
    assert f'value="{w.rita.pk}"' in page
    response = client.post(
        url,
        {
            "representative": w.rita.pk,
            "compound": w.g1.building.compound.pk,
            "building": w.g1.building.pk,
            "households": 3,
            "category": cw.garbage.pk,
            "department": w.housing.pk,
            "conference": "",
            "title": "垃圾房太远",
            "text": "老人扔垃圾要走很远。",
        },
    )
    r = ConsultationRequest.objects.get(title="垃圾房太远")
    assert response.status_code == 302 and response.url == r.get_absolute_url()
    assert r.representative == w.rita and r.registered_by == w.carl and r.channel == Channel.YEAR_ROUND
    # rita sees it among her requests.
    assert "垃圾房太远" in as_user(w.rita).get(reverse("consultations:mine")).content.decode()
    assert as_user(w.rita).get(reverse("consultations:request_on_behalf")).status_code == 403


# --- Query budget -------------------------------------------------------------------------------------


def test_the_neighbourhood_page_does_not_query_per_row(cw, as_user, count_queries):
    client = as_user(cw.w.carl)
    url = reverse("consultations:neighbourhood")

    def grow(n):
        for i in range(n):
            r = file_request(cw, title=f"诉求{i}", conference=cw.upcoming)
            if i % 2:
                request_accept(actor=cw.w.otto, request=r, due_date=SOON)

    grow(2)
    small = count_queries(client.get, url)
    grow(6)
    assert count_queries(client.get, url) == small
