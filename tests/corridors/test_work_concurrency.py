"""Two people act on one gallery work at the same moment, on real PostgreSQL connections.

``tests.races.race`` holds both calls at a barrier *inside* the work's row lock (in the
work table's ``check``): with the lock, the second waits for the first to commit and is
then refused as stale; without it, both would pass and write two history rows.
"""

import pytest

from corridors.models import GalleryWork, User, WorkTransition
from corridors.services import gallery as services
from corridors.workflows.work import WORK
from tests.corridors.test_gallery import make_work
from tests.races import race

State = GalleryWork.State


@pytest.mark.django_db(transaction=True)
def test_the_leader_publishing_while_staff_hide_makes_one_step(world, monkeypatch):
    pk = make_work(world.g1, world.leo, publish=False).pk

    outcomes = race(
        monkeypatch,
        [
            lambda: services.work_publish(
                work=GalleryWork(pk=pk), by=User.objects.get(username="leo"), expected_state=State.DRAFT
            ),
            lambda: services.work_hide(
                work=GalleryWork(pk=pk),
                reason="能看清门牌号",
                by=User.objects.get(username="alice"),
                expected_state=State.DRAFT,
            ),
        ],
        inside=(WORK, "check"),
    )

    assert outcomes.count("done") == 1, outcomes
    assert "changed while you were looking" in next(o for o in outcomes if o != "done")
    steps = list(WorkTransition.objects.filter(work_id=pk))
    assert len(steps) == 1
    assert GalleryWork.objects.get(pk=pk).state == steps[0].to_state


@pytest.mark.django_db(transaction=True)
def test_two_moderators_hiding_at_once_make_one_step(world, monkeypatch):
    pk = make_work(world.g1, world.leo).pk

    def hide(username):
        return lambda: services.work_hide(
            work=GalleryWork(pk=pk), reason=f"{username}: 不合适", by=User.objects.get(username=username),
            expected_state=State.PUBLISHED,
        )  # fmt: skip

    outcomes = race(monkeypatch, [hide("alice"), hide("carl")], inside=(WORK, "check"))

    assert outcomes.count("done") == 1, outcomes
    assert WorkTransition.objects.filter(work_id=pk, action="hide").count() == 1
    work = GalleryWork.objects.get(pk=pk)
    assert work.state == State.HIDDEN
    assert work.hidden_reason == WorkTransition.objects.get(work_id=pk, action="hide").note
