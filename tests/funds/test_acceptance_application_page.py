"""The application page links to its acceptance checks, award, payouts and ledger, through the
``application_sections`` AppConfig hook (corridors never imports funds), with a fixed number of
queries whatever the number of checks and payouts."""

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from corridors.views.applications import application_sections
from funds.models import AcceptanceCheck, Award
from funds.services.checks import check_record_scores, reinspection_request
from funds.services.payouts import payout_approve, payout_mark_paid, payout_propose
from tests.funds.test_acceptance import award_for, ready_for_inspection, schedule, scores
from tests.funds.test_payouts import culture, receipt


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_of(client, user, application) -> str:
    client.force_login(user)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_funds_contributes_through_its_app_config(world):
    assert callable(getattr(apps.get_app_config("funds"), "application_sections", None))
    application = ready_for_inspection(world)
    (template_name, section) = application_sections(application, world.alice)[0]
    assert template_name == "funds/awards/includes/application_section.html"
    assert section["can_schedule"] and section["checks"] == []
    # The leader and the committee have nothing to do before a check exists.
    assert application_sections(application, world.leo) == []
    assert application_sections(application, world.carl) == []


def test_staff_are_sent_to_schedule_the_check(world, en_client):
    application = ready_for_inspection(world)
    html = page_of(en_client, world.alice, application)
    assert f'href="{reverse("funds:check_schedule", args=[application.pk])}"' in html
    check = schedule(world, application)
    html = page_of(en_client, world.alice, application)
    assert "data-schedule-link" not in html and f'href="{check.get_absolute_url()}"' in html


def test_a_failed_and_a_passed_check_the_award_payouts_and_ledger(world, en_client):
    application = ready_for_inspection(world)
    failed = schedule(world, application)
    check_record_scores(check=failed, actor=world.alice, scores=scores(10), rectification_items="杂物")
    reinspection_request(application=application, actor=world.leo)
    award = award_for(world, application)
    payout = culture(world, award)
    payout_approve(payout=payout, actor=world.fay)
    payout_mark_paid(payout=payout, actor=world.fay, paid_on=timezone.localdate(), reference="ICBC-1")

    html = page_of(en_client, world.alice, application)
    for check in AcceptanceCheck.objects.filter(application=application):
        assert f'href="{check.get_absolute_url()}"' in html
    assert 'data-outcome="failed"' in html and 'data-outcome="passed"' in html and "90 points" in html
    assert f'href="{award.get_absolute_url()}"' in html and award.certificate_number in html
    assert f'href="{reverse("funds:certificate", args=[award.pk])}"' in html
    assert f'href="{reverse("funds:ledger", args=[award.pk])}"' in html and "¥2,000.00" in html
    assert f'href="{payout.get_absolute_url()}"' in html and 'data-payout-state="paid"' in html
    assert f'href="{reverse("funds:payout_propose", args=[award.pk])}"' in html

    # The leader and the committee see the checks, the award and the ledger, but no payouts
    # (those are for the street's staff and finance approvers).
    for user in (world.leo, world.carl):
        html = page_of(en_client, user, application)
        assert f'href="{award.get_absolute_url()}"' in html
        assert f'href="{reverse("funds:ledger", args=[award.pk])}"' in html
        assert "data-application-payouts" not in html and payout.get_absolute_url() not in html
        assert reverse("funds:payout_propose", args=[award.pk]) not in html


def test_each_link_opens_for_whoever_sees_it(world, en_client):
    award = award_for(world)
    culture(world, award)
    for user in (world.alice, world.leo, world.carl):
        en_client.force_login(user)
        (_, section) = application_sections(award.application, user)[0]
        urls = [check.get_absolute_url() for check in section["checks"]]
        urls += [award.get_absolute_url(), reverse("funds:ledger", args=[award.pk])]
        urls += [payout.get_absolute_url() for payout in section["payouts"]]
        for url in urls:
            assert en_client.get(url).status_code == 200, (user.username, url)


@pytest.mark.parametrize("persona", ["alice", "leo", "carl"])
def test_the_application_page_keeps_its_query_count(world, en_client, count_queries, persona):
    award = award_for(world)
    culture(world, award)
    en_client.force_login(getattr(world, persona))
    url = reverse("applications:detail", args=[award.application_id])
    small = count_queries(en_client.get, url)
    for _ in range(4):
        payout_propose(award=award, actor=world.alice, kind="renovation", amount=10, receipts=[receipt()])
    assert Award.objects.get(pk=award.pk).payouts.count() == 5
    assert count_queries(en_client.get, url) == small


def fail_once(world, application):
    check = schedule(world, application)
    check_record_scores(check=check, actor=world.alice, scores=scores(10), rectification_items="杂物")
    reinspection_request(application=application, actor=world.leo)


@pytest.mark.parametrize("persona", ["alice", "leo"])
def test_more_checks_make_no_more_queries(world, en_client, count_queries, persona):
    application = ready_for_inspection(world)
    fail_once(world, application)
    en_client.force_login(getattr(world, persona))
    url = reverse("applications:detail", args=[application.pk])
    small = count_queries(en_client.get, url)
    fail_once(world, application)
    fail_once(world, application)
    assert AcceptanceCheck.objects.filter(application=application).count() == 3
    assert count_queries(en_client.get, url) == small
