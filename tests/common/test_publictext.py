"""Text bound for a public page is checked by the server (common.publictext): phones, IDs,
rooms and the names of people on the record are refused with the fragment marked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.publictext import find_personal, mask_personal, names_in, valid_id_18
from consultations.models import ConsultationRequest
from consultations.services.requests import request_accept
from consultations.workflows.request import RequestState
from corridors.models import Activity, GalleryWork
from tests.consultations import conftest as consultations_fixtures
from tests.consultations.conftest import file_request, fresh
from tests.corridors.test_gallery import upload

cw = consultations_fixtures.cw  # the consultations world, as a fixture here too

THE_SENTENCE = "5号602室李建国（13800001111）家顶层漏水已修复"


def kinds(text, **kwargs):
    return [(f.kind, f.fragment) for f in find_personal(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (THE_SENTENCE, [("room", "5号602室"), ("mobile", "13800001111")]),
        ("请联系 138 0000 1111", [("mobile", "138 0000 1111")]),
        ("请联系138-0000-1111", [("mobile", "138-0000-1111")]),
        ("请联系１３８００００１１１１", [("mobile", "１３８００００１１１１")]),
        ("请联系+86 13800001111", [("mobile", "+86 13800001111")]),
        ("物业电话021-65432100", [("landline", "021-65432100")]),
        ("值班电话 6543 2100", [("landline", "6543 2100")]),
        ("身份证11010519491231002X", [("id_card", "11010519491231002X")]),
        ("老证号110105491231002", [("id_card", "110105491231002")]),
        ("3幢2单元楼道漏水", [("room", "3幢2单元")]),
        ("602室门口", [("room", "602室")]),
        ("12-301门口堆物", [("room", "12-301")]),
        ("D座1201电梯", [("room", "1201")]),
        ("王阿姨送来的花", [("name", "王阿姨")]),
        # Counts, areas, money, dates and floors are not personal.
        ("全楼192户业主，20062平方米，共筹集¥300,930.00", []),
        ("2026-11-27完成，D座25层三台电梯", []),
        ("2025 2026年两次更换", []),
        ("楼道贴了新春对联", []),
    ],
)
def test_what_the_checker_finds(text, found):
    assert kinds(text) == found


def test_an_id_number_needs_its_check_digit():
    assert valid_id_18("11010519491231002X")
    assert not valid_id_18("110105194912310021")
    assert kinds("编号110105194912310021") == []


def test_names_on_record_are_found_and_the_groups_own_address_is_allowed():
    assert kinds("感谢陈桂英的组织", names=["陈桂英"]) == [("name", "陈桂英")]
    assert kinds("欢迎5号 1单元的邻居", allowed=["5号 1单元"]) == []
    # The allowed address does not let a room number through after it.
    assert kinds("D座1201", allowed=["D座"]) == [("room", "1201")]
    assert names_in("5号602室李建国（13800001111）家漏水，联系人王芳") == ["李建国", "王芳"]
    assert mask_personal(THE_SENTENCE, names=["李建国"]) == "****（**）家顶层漏水已修复"


# --- The board 你反映·我来办 --------------------------------------------------------------


def test_the_board_refuses_the_sentence_with_the_fragments_marked(cw, as_user):
    r = file_request(cw, title="顶层漏水", text="5号602室李建国家顶层漏水，请尽快修")
    request_accept(actor=fresh(cw.w.otto), request=r, due_date=timezone.localdate() + datetime.timedelta(days=7))
    client = as_user(cw.w.otto)
    url = reverse("consultations:request_step", args=[r.pk, "resolve"])
    data = {"state": "accepted", "note": "已修好。", "public_summary": THE_SENTENCE, "summary_checked": "on"}

    response = client.post(url, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "<mark>5号602室</mark>" in page and "<mark>13800001111</mark>" in page and "<mark>李建国</mark>" in page
    assert "不能含有个人信息" in page
    # What was typed is kept in the form, so it can be corrected.
    assert "已修好。</textarea>" in page
    r.refresh_from_db()
    assert (r.state, r.public_summary) == (RequestState.ACCEPTED, "")

    # A name given only in the request's private text is refused too.
    response = client.post(url, {**data, "public_summary": "李建国家顶层漏水已修复"})
    assert response.status_code == 400 and "<mark>李建国</mark>" in response.content.decode()

    response = client.post(url, {**data, "public_summary": "顶层漏水已修复"})
    assert response.status_code == 302
    assert ConsultationRequest.objects.get(pk=r.pk).public_summary == "顶层漏水已修复"


def test_the_mark_is_the_only_markup_let_through(cw, as_user):
    r = file_request(cw, title="顶层漏水")
    request_accept(actor=fresh(cw.w.otto), request=r, due_date=timezone.localdate() + datetime.timedelta(days=7))
    url = reverse("consultations:request_step", args=[r.pk, "resolve"])
    hostile = "<script>x</script>13800001111"
    data = {"state": "accepted", "note": "好", "public_summary": hostile, "summary_checked": "on"}
    page = as_user(cw.w.otto).post(url, data).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;<mark>13800001111</mark>" in page
    assert "<script>x</script>" not in page


# --- Works, activities, applications ---------------------------------------------------------


def test_a_work_naming_its_leader_or_a_room_is_refused(world, as_user):
    client = as_user(world.leo)
    url = reverse("gallery:work_add", args=[world.g1.pk])
    data = {"kind": "photo", "title": "楼道一角", "text": "leo姓名家602室门口", "alt_text": "楼道", "image": upload()}
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>leo姓名</mark>" in page and "<mark>602室</mark>" in page
    assert not GalleryWork.objects.exists()


def test_an_unnamed_author_may_not_be_named_in_the_text(world, as_user):
    client = as_user(world.leo)
    url = reverse("gallery:work_add", args=[world.g1.pk])
    data = {"kind": "photo", "title": "剪纸", "text": "刘秀英老人剪的福字", "author_name": "刘秀英", "alt_text": "剪纸"}
    response = client.post(url, {**data, "image": upload()})
    assert "<mark>刘秀英</mark>" in response.content.decode()
    assert not GalleryWork.objects.exists()
    # With her consent her name is shown anyway, so the text may carry it.
    response = client.post(url, {**data, "author_consent": "on", "image": upload()})
    assert response.status_code == 302
    assert GalleryWork.objects.get().author_name == "刘秀英"


def test_an_activity_with_a_phone_number_is_refused(world, as_user):
    client = as_user(world.leo)
    starts = timezone.localtime() + datetime.timedelta(days=3)
    data = {
        "kind": "food_day",
        "title": "百家宴",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": f"{world.g1.building.name} {world.g1.name}门口",
        "description": "报名请打１３８ ０００１ ２２２２",
    }
    response = client.post(reverse("gallery:activity_add", args=[world.g1.pk]), data)
    assert response.status_code == 200
    assert "<mark>１３８ ０００１ ２２２２</mark>" in response.content.decode()
    assert not Activity.objects.exists()
    # The group's own address is not a room number.
    response = client.post(reverse("gallery:activity_add", args=[world.g1.pk]), {**data, "description": "欢迎邻居"})
    assert response.status_code == 302


# --- What was published before the check ----------------------------------------------------


def test_the_migration_hides_published_offenders_and_tells_their_authors(cw):
    import importlib

    from django.apps import apps

    from common.uploads import process_image
    from consultations.services.requests import request_confirm, request_resolve
    from corridors.models import Notification, WorkTransition
    from corridors.services.gallery import activity_create, work_create, work_publish
    from tests.corridors.test_gallery import upload as picture

    migration = importlib.import_module("common.migrations.0001_recheck_public_text")
    w = cw.w
    # Published before the server checked: written straight into the rows.
    clean = work_create(
        group=w.g1, kind="photo", title="楼道一角", image=process_image(picture()), alt_text="楼道", by=w.leo
    )
    work_publish(work=clean, by=w.leo)
    bad = work_create(group=w.g1, kind="photo", title="福字", image=process_image(picture()), alt_text="福", by=w.leo)
    work_publish(work=bad, by=w.leo)
    GalleryWork.objects.filter(pk=bad.pk).update(text="leo姓名家602室门口的福字")
    starts = timezone.now() + datetime.timedelta(days=2)
    activity = activity_create(
        group=w.g1, kind="other", title="百家宴", starts_at=starts, ends_at=starts, place="楼下", by=w.leo
    )
    Activity.objects.filter(pk=activity.pk).update(description="报名电话13800001111")
    r = file_request(cw, title="顶层漏水", text="5号602室李建国家顶层漏水")
    request_accept(actor=fresh(w.otto), request=r, due_date=timezone.localdate() + datetime.timedelta(days=7))
    request_resolve(actor=fresh(w.otto), request=r, resolution="好了", public_summary="顶层漏水已修复")
    request_confirm(actor=fresh(w.rita), request=r)
    ConsultationRequest.objects.filter(pk=r.pk).update(public_summary=THE_SENTENCE)

    migration.recheck(apps, None)

    bad.refresh_from_db()
    assert bad.state == GalleryWork.State.HIDDEN and "个人信息" in bad.hidden_reason
    step = WorkTransition.objects.filter(work=bad).latest("pk")
    assert (step.action, step.actor.username, step.actor.is_active) == ("hide", "system-check", False)
    assert GalleryWork.objects.get(pk=clean.pk).state == GalleryWork.State.PUBLISHED
    assert Activity.objects.get(pk=activity.pk).description == "报名电话**"
    assert ConsultationRequest.objects.get(pk=r.pk).public_summary == "****（**）家顶层漏水已修复"
    told = dict(Notification.objects.filter(actor__username="system-check").values_list("recipient", "url"))
    assert told[w.leo.pk] and told[w.otto.pk] == f"/consultations/requests/{r.pk}/"
    # The board shows the masked line only.
    from django.test import Client

    page = Client().get(reverse("consultations:public_board")).content.decode()
    assert "13800001111" not in page and "李建国" not in page


def test_a_draft_written_before_the_check_cannot_be_published(world):
    from common.refusals import Refused
    from common.uploads import process_image
    from corridors.services.gallery import work_create, work_publish

    work = work_create(
        group=world.g1, kind="photo", title="福字", image=process_image(upload()), alt_text="福", by=world.leo
    )
    GalleryWork.objects.filter(pk=work.pk).update(text="请打13800001111")
    with pytest.raises(Refused, match="13800001111"):
        work_publish(work=work, by=world.leo)
    assert GalleryWork.objects.get(pk=work.pk).state == GalleryWork.State.DRAFT
