"""A gallery work's steps are history rows (who, when, from, to, why), and hiding one tells its leader why.

Personas from ``tests/conftest.py``: leo leads g1 (in N1); carl is N1's committee; alice is
staff of our street; lena leads g2.
"""

import pytest
from django.urls import reverse

from common.refusals import Refused
from corridors.models import GalleryWork, Notification, WorkTransition
from corridors.services.gallery import work_hide, work_publish, work_unhide, work_unpublish
from tests.corridors.test_gallery import make_work

pytestmark = pytest.mark.django_db
State = GalleryWork.State


def _history(work):
    return list(
        WorkTransition.objects.filter(work=work)
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "actor__username", "note")
    )


def test_every_step_is_kept_with_who_and_why_even_after_the_work_is_shown_again(world):
    work = make_work(world.g1, world.leo, publish=False)
    work_publish(work=work, by=world.leo)
    work_hide(work=work, reason="能看清门牌号", by=world.alice)
    work_unhide(work=work, by=world.carl)
    work_unpublish(work=work, by=world.leo)
    work_hide(work=work, reason="照片模糊", by=world.carl)
    work_unhide(work=work, by=world.alice)

    assert _history(work) == [
        ("publish", State.DRAFT, State.PUBLISHED, "leo", ""),
        ("hide", State.PUBLISHED, State.HIDDEN, "alice", "能看清门牌号"),
        ("unhide", State.HIDDEN, State.PUBLISHED, "carl", ""),
        ("unpublish", State.PUBLISHED, State.DRAFT, "leo", ""),
        ("hide", State.DRAFT, State.HIDDEN, "carl", "照片模糊"),
        ("unhide", State.HIDDEN, State.PUBLISHED, "alice", ""),
    ]
    work.refresh_from_db()
    # The work itself forgets why it was hidden once shown again; the history does not.
    assert work.state == State.PUBLISHED and work.hidden_reason == ""


def test_a_hidden_draft_shown_again_is_a_draft_in_the_history_too(world):
    work = make_work(world.g1, world.leo, publish=False)
    work_hide(work=work, reason="不合适", by=world.alice)
    work_unhide(work=work, by=world.alice)
    assert _history(work)[-1][:3] == ("unhide_to_draft", State.HIDDEN, State.DRAFT)


def test_a_refused_step_writes_no_history(world):
    work = make_work(world.g1, world.leo)
    before = _history(work)
    with pytest.raises(Refused):
        work_hide(work=work, reason="", by=world.alice)
    with pytest.raises(Refused):
        work_publish(work=work, by=world.lena)
    assert _history(work) == before


def test_hiding_tells_the_leader_why_in_the_inbox_and_by_mail(world, as_user, mailoutbox, run_jobs_here):
    world.leo.email = "leo@example.org"
    world.leo.save()
    work = make_work(world.g1, world.leo, title="楼道的春天")
    with run_jobs_here():
        work_hide(work=work, reason="照片里能看清门牌号", by=world.alice)

    told = Notification.objects.get()
    assert (told.recipient, told.actor, told.verb, told.message) == (
        world.leo,
        world.alice,
        "hide",
        "照片里能看清门牌号",
    )
    assert told.url == work.get_absolute_url()
    assert [m.to for m in mailoutbox] == [["leo@example.org"]]
    assert "照片里能看清门牌号" in mailoutbox[0].body and "楼道的春天" in mailoutbox[0].subject

    page = as_user(world.leo).get(reverse("inbox:list")).content.decode()
    assert "隐藏" in page and "照片里能看清门牌号" in page


def test_publishing_and_showing_again_tell_nobody(world):
    work = make_work(world.g1, world.leo)
    work_hide(work=work, reason="不合适", by=world.carl)
    Notification.objects.all().delete()
    work_unhide(work=work, by=world.carl)
    work_unpublish(work=work, by=world.leo)
    work_publish(work=work, by=world.leo)
    assert not Notification.objects.exists()


def test_the_work_page_shows_its_history_to_those_responsible(world, as_user):
    work = make_work(world.g1, world.leo)
    work_hide(work=work, reason="能看清门牌号", by=world.alice)
    page = as_user(world.leo).get(work.get_absolute_url()).content.decode()
    assert "data-timeline" in page and "能看清门牌号" in page and "隐藏" in page
