"""Gallery works: leaders curate, staff and committee hide, the public sees published works only.

Personas from ``tests/conftest.py``: leo leads g1 (in N1), lena leads g2 (in N2), carl is
N1's committee, cindy N2's, alice staff of our street, bob staff of another street.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from PIL import Image

from common.refusals import Refused
from common.uploads import private_storage, process_image, public_storage
from corridors.models import BuildingGroup, GalleryWork
from corridors.services.gallery import (
    work_create,
    work_delete,
    work_hide,
    work_image_add,
    work_image_delete,
    work_publish,
    work_unhide,
    work_unpublish,
)

pytestmark = pytest.mark.django_db


# --- Builders shared by the gallery, public and activity tests ----------------------------


def jpeg(color=(200, 60, 30), size=(640, 480), shapes: bool = True) -> bytes:
    image = Image.new("RGB", size, color)
    if shapes:
        from PIL import ImageDraw

        draw = ImageDraw.Draw(image)
        draw.ellipse((40, 40, 300, 300), fill=(30, 90, 200))
        draw.rectangle((320, 200, 600, 420), fill=(240, 200, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def upload(data: bytes | None = None, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or jpeg(), content_type="image/jpeg")


def make_work(group, by, *, title="作品", publish=True, kind=GalleryWork.Kind.PHOTO, **kwargs) -> GalleryWork:
    work = work_create(
        group=group,
        kind=kind,
        title=title,
        image=process_image(upload()),
        alt_text=kwargs.pop("alt_text", "一张红色背景上有蓝色圆形的照片"),
        by=by,
        **kwargs,
    )
    if not publish:
        return work
    # Publishing puts the pictures in public storage when it commits (run here, inside the test's transaction).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return work_publish(work=work, by=by)


def work_form(**overrides) -> dict:
    data = {
        "kind": "photo",
        "title": "楼道的春天",
        "text": "樱花开了。",
        "ingredients": "",
        "steps": "",
        "author_name": "",
        "alt_text": "樱花树下的楼道口",
        "image": upload(),
    }
    data.update(overrides)
    return data


# --- Leaders add and publish -----------------------------------------------------------


def test_leader_adds_a_draft_that_is_not_public_until_published(world, client, run_jobs_here):
    client.force_login(world.leo)
    with run_jobs_here():  # the worker makes the picture's sizes
        response = client.post(reverse("gallery:work_add", args=[world.g1.pk]), work_form())
    work = GalleryWork.objects.get()
    assert response.status_code == 302 and response.url == work.get_absolute_url()
    assert work.state == GalleryWork.State.DRAFT
    assert work.images.count() == 1 and work.images.get().small_width == 320

    client.logout()
    assert "楼道的春天" not in client.get(world.g1.get_public_url()).content.decode()
    assert client.get(work.get_public_url()).status_code == 404

    client.force_login(world.leo)
    client.post(reverse("gallery:work_publish", args=[work.pk]))
    work.refresh_from_db()
    assert work.state == GalleryWork.State.PUBLISHED and work.published_at is not None
    client.logout()
    assert "楼道的春天" in client.get(world.g1.get_public_url()).content.decode()
    assert "楼道的春天" in client.get(reverse("public:gallery")).content.decode()
    assert client.get(work.get_public_url()).status_code == 200


def test_every_picture_needs_a_description(world, client):
    client.force_login(world.leo)
    response = client.post(reverse("gallery:work_add", args=[world.g1.pk]), work_form(alt_text=""))
    assert response.status_code == 200
    assert "alt_text" in response.context["form"].errors
    assert not GalleryWork.objects.exists()


def test_a_recipe_needs_ingredients_or_steps_and_shows_them(world, client):
    client.force_login(world.leo)
    url = reverse("gallery:work_add", args=[world.g1.pk])
    response = client.post(url, work_form(kind="recipe", title="红烧肉"))
    assert "ingredients" in response.context["form"].errors
    client.post(url, work_form(kind="recipe", title="红烧肉", ingredients="五花肉\n冰糖", steps="焯水\n炒糖色"))
    work = GalleryWork.objects.get()
    work_publish(work=work, by=world.leo)
    client.logout()
    html = client.get(work.get_public_url()).content.decode()
    assert "<li>冰糖</li>" in html and "<li>炒糖色</li>" in html


def test_leader_unpublishes_and_adds_more_pictures_but_keeps_at_least_one(world, client):
    work = make_work(world.g1, world.leo)
    client.force_login(world.leo)
    client.post(
        reverse("gallery:work_image_add", args=[work.pk]), {"image": upload(), "alt_text": "第二张：蓝色的方块"}
    )
    assert list(work.images.values_list("order", flat=True)) == [0, 1]
    first, second = work.images.all()
    work_image_delete(image=second)
    with pytest.raises(ValidationError):
        work_image_delete(image=first)
    client.post(reverse("gallery:work_unpublish", args=[work.pk]))
    work.refresh_from_db()
    assert work.state == GalleryWork.State.DRAFT


# --- Staff hide ----------------------------------------------------------------------


def test_hidden_work_disappears_from_every_public_page_at_once(world, client):
    work = make_work(world.g1, world.leo, title="门牌号照片")
    public = [world.g1.get_public_url(), reverse("public:gallery"), reverse("public:gallery") + "?q=门牌"]
    for url in public:
        assert "门牌号照片" in client.get(url).content.decode()

    client.force_login(world.alice)
    response = client.post(reverse("gallery:work_hide", args=[work.pk]), {"reason": "能看清门牌号"})
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.state == GalleryWork.State.HIDDEN and work.hidden_by == world.alice

    client.logout()
    for url in public:
        assert "门牌号照片" not in client.get(url).content.decode()
    assert client.get(work.get_public_url()).status_code == 404

    # The leader sees why and cannot publish it again; staff can show it again.
    client.force_login(world.leo)
    assert "能看清门牌号" in client.get(work.get_absolute_url()).content.decode()
    with pytest.raises(Refused):
        work_publish(work=work, by=world.leo)
    with pytest.raises(Refused):
        work_unpublish(work=work, by=world.leo)
    work_unhide(work=work, by=world.carl)
    work.refresh_from_db()
    assert work.state == GalleryWork.State.PUBLISHED and work.hidden_reason == ""


def test_hiding_needs_a_reason(world):
    work = make_work(world.g1, world.leo)
    with pytest.raises(Refused):
        work_hide(work=work, reason="  ", by=world.alice)
    work.refresh_from_db()
    assert work.state == GalleryWork.State.PUBLISHED


def test_a_hidden_draft_comes_back_as_a_draft(world):
    work = make_work(world.g1, world.leo, publish=False)
    work_hide(work=work, reason="不合适", by=world.alice)
    assert work_unhide(work=work, by=world.alice).state == GalleryWork.State.DRAFT


# --- Who may do what (role × action) ---------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "view", "expected"),
    [
        ("leo", "gallery:work_edit", 200),
        ("lena", "gallery:work_edit", 404),
        ("carl", "gallery:work_edit", 403),
        ("alice", "gallery:work_edit", 403),
        ("bob", "gallery:work_edit", 404),
        ("leo", "gallery:work_hide", 403),
        ("carl", "gallery:work_hide", 200),
        ("cindy", "gallery:work_hide", 404),
        ("alice", "gallery:work_hide", 200),
        ("bob", "gallery:work_hide", 404),
        ("rita", "gallery:work", 404),
        ("otto", "gallery:work", 404),
    ],
)
def test_work_permissions(world, client, persona, view, expected):
    work = make_work(world.g1, world.leo)
    client.force_login(getattr(world, persona))
    assert client.get(reverse(view, args=[work.pk])).status_code == expected


def test_only_the_leader_adds_works(world, client):
    url = reverse("gallery:work_add", args=[world.g1.pk])
    for persona, expected in [("leo", 200), ("alice", 403), ("carl", 403), ("lena", 404)]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == expected, persona


def test_staff_overview_lists_only_groups_in_scope(world, client):
    client.force_login(world.leo)
    html = client.get(reverse("gallery:index")).content.decode()
    assert world.g1.name in html and reverse("gallery:group", args=[world.g2.pk]) not in html
    assert client.get(reverse("gallery:group", args=[world.g2.pk])).status_code == 404


# --- Authors' names only with consent ------------------------------------------------


def test_author_name_is_shown_only_with_consent(world, client):
    named = make_work(world.g1, world.leo, title="福字", author_name="王伯伯", author_consent=True)
    unnamed = make_work(world.g1, world.leo, title="兰花", author_name="李阿姨", author_consent=False)
    unnamed.refresh_from_db()
    # Without consent the name is not even kept.
    assert unnamed.author_name == ""
    assert named.public_author == "王伯伯"
    html = client.get(world.g1.get_public_url()).content.decode()
    assert "王伯伯" in html and "李阿姨" not in html
    # Signed 居民 ("Resident" in the catalogue) instead.
    with translation.override("zh-hans"):
        resident = translation.gettext("Resident")
    assert f'<span class="work-author">{resident}</span>' in client.get(unnamed.get_public_url()).content.decode()


def test_consent_without_a_name_is_refused_by_the_form(world, client):
    client.force_login(world.leo)
    response = client.post(reverse("gallery:work_add", args=[world.g1.pk]), work_form(author_consent="on"))
    assert "author_name" in response.context["form"].errors


def test_withdrawing_consent_forgets_the_name(world, client):
    work = make_work(world.g1, world.leo, author_name="王伯伯", author_consent=True)
    client.force_login(world.leo)
    data = {"kind": "photo", "title": work.title, "text": "", "author_name": "王伯伯"}
    client.post(reverse("gallery:work_edit", args=[work.pk]), data)
    work.refresh_from_db()
    assert (work.author_consent, work.author_name) == (False, "")


def test_no_personal_data_of_leaders_on_public_pages(world, client):
    work = make_work(world.g1, world.leo)
    for url in [world.g1.get_public_url(), work.get_public_url(), reverse("public:gallery")]:
        html = client.get(url).content.decode()
        assert world.leo.full_name not in html and world.leo.phone not in html and "leo" not in html


def test_public_corridor_page_links_to_management_only_for_those_in_scope(world, client):
    link = reverse("gallery:group", args=[world.g1.pk])
    assert link not in client.get(world.g1.get_public_url()).content.decode()
    for persona, shown in [("leo", True), ("carl", True), ("alice", True), ("lena", False), ("bob", False)]:
        client.force_login(getattr(world, persona))
        assert (link in client.get(world.g1.get_public_url()).content.decode()) is shown, persona


# --- A hidden work's files leave the public media folder --------------------------------


def served(client, url) -> int:
    response = client.get(url)
    if response.status_code == 200 and response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def test_hiding_takes_the_picture_files_off_their_public_urls_until_shown_again(
    world, client, django_capture_on_commit_callbacks
):
    work = make_work(world.g1, world.leo, title="门牌号照片")
    image = work.images.get()
    urls = [image.image_small.url, image.image_medium.url, image.image_large.url]
    assert [served(client, url) for url in urls] == [200, 200, 200]

    with django_capture_on_commit_callbacks(execute=True):
        work_hide(work=work, reason="能看清门牌号", by=world.alice)
    # A link kept from before (or a cached page) no longer fetches the picture...
    assert [served(client, url) for url in urls] == [404, 404, 404]
    # ...while the files are kept privately, for those responsible to see what was hidden.
    assert all(private_storage().exists(f.name) for f in image.stored_files())
    checked = reverse("gallery:work_image_file", args=[work.pk, image.pk])
    client.force_login(world.leo)
    assert checked in client.get(work.get_absolute_url()).content.decode()
    response = client.get(checked)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    client.force_login(world.lena)
    assert client.get(checked).status_code == 404
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        work_unhide(work=work, by=world.carl)
    assert [served(client, url) for url in urls] == [200, 200, 200]
    assert not any(private_storage().exists(f.name) for f in image.stored_files())


def test_a_picture_added_to_a_hidden_work_is_not_public_and_deleting_removes_the_private_files(
    world, django_capture_on_commit_callbacks
):
    work = make_work(world.g1, world.leo)
    with django_capture_on_commit_callbacks(execute=True):
        work_hide(work=work, reason="不合适", by=world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        added = work_image_add(work=work, image=process_image(upload()), alt_text="第二张照片", by=world.leo)
    files = [f.name for image in work.images.all() for f in image.stored_files()]
    assert all(not public_storage().exists(name) for name in files)
    assert all(private_storage().exists(f.name) for f in added.stored_files())
    with django_capture_on_commit_callbacks(execute=True):
        work_delete(work=work)
    assert not any(private_storage().exists(name) or public_storage().exists(name) for name in files)


def test_a_drafts_pictures_have_no_public_address_until_published_and_lose_it_when_taken_back(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(world.g1, world.leo, title="楼道新貌", publish=False)
    image = work.images.get()
    names = [f.name for f in image.stored_files()]
    urls = [image.image_small.url, image.image_medium.url, image.image_large.url]
    # A draft's pictures were written to private storage: their public addresses fetch nothing.
    assert [served(client, url) for url in urls] == [404, 404, 404]
    assert all(private_storage().exists(name) and not public_storage().exists(name) for name in names)
    # The leader sees the draft's picture through the checked view; another group's leader does not.
    checked = reverse("gallery:work_image_file", args=[work.pk, image.pk])
    client.force_login(world.leo)
    assert checked in client.get(work.get_absolute_url()).content.decode()
    response = client.get(checked)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    client.force_login(world.lena)
    assert client.get(checked).status_code == 404
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        work_publish(work=work, by=world.leo)
    assert [served(client, url) for url in urls] == [200, 200, 200]
    assert not any(private_storage().exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        work_unpublish(work=work, by=world.leo)
    assert [served(client, url) for url in urls] == [404, 404, 404]
    assert all(private_storage().exists(name) for name in names)


def test_a_picture_added_to_a_draft_is_private_and_one_added_to_a_published_work_public(
    world, client, django_capture_on_commit_callbacks
):
    draft = make_work(world.g1, world.leo, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        added = work_image_add(work=draft, image=process_image(upload()), alt_text="第二张照片", by=world.leo)
    assert served(client, added.image_large.url) == 404 and private_storage().exists(added.image_large.name)
    published = make_work(world.g1, world.leo)
    with django_capture_on_commit_callbacks(execute=True):
        shown = work_image_add(work=published, image=process_image(upload()), alt_text="第三张照片", by=world.leo)
    assert served(client, shown.image_large.url) == 200 and not private_storage().exists(shown.image_large.name)


# --- Nothing new in a deactivated group -------------------------------------------------


def test_nothing_new_is_added_to_a_deactivated_group(world, client):
    world.g1.is_active = False
    world.g1.save()
    client.force_login(world.leo)
    for name in ["gallery:work_add", "gallery:activity_add"]:
        url = reverse(name, args=[world.g1.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, work_form()).status_code == 404, name
    assert not GalleryWork.objects.exists()
    # The group's own page says why and offers no add buttons; the service refuses too.
    html = client.get(reverse("gallery:group", args=[world.g1.pk])).content.decode()
    assert reverse("gallery:work_add", args=[world.g1.pk]) not in html
    assert reverse("gallery:activity_add", args=[world.g1.pk]) not in html
    with pytest.raises(ValidationError):
        make_work(world.g1, world.leo)


# --- Staff pages make a fixed number of queries ------------------------------------------


def test_staff_gallery_pages_make_the_same_number_of_queries_at_two_sizes(world, client, count_queries):
    from tests import factories as f
    from tests.corridors.test_activities import make_activity

    def grow(works: int, activities: int, groups: int):
        for n in range(works):
            work = make_work(world.g1, world.leo, title=f"作品{n}", publish=n % 3 != 0)
            work_image_add(work=work, image=process_image(upload()), alt_text="第二张", by=world.leo)
            if n % 5 == 0:
                work_hide(work=work, reason="不合适", by=world.alice)
        for n in range(activities):
            make_activity(world.g1, world.leo, title=f"活动{n}", days=n - 3)
        for _ in range(groups):
            f.BuildingGroupFactory(building__compound__neighbourhood=world.n1)

    client.force_login(world.alice)
    urls = [reverse("gallery:index"), reverse("gallery:group", args=[world.g1.pk])]
    grow(works=3, activities=2, groups=1)
    small = {url: count_queries(client.get, url) for url in urls}
    grow(works=27, activities=18, groups=30)
    assert {url: count_queries(client.get, url) for url in urls} == small
    assert count_queries(client.get, urls[0] + "?page=2") == small[urls[0]]


def test_staff_overview_shows_25_groups_a_page_and_the_next_page_the_rest(world, client):
    """A street's 1,667 groups were one 750 KB page; now 25 a page, each with its own counts."""
    import re

    from tests import factories as f

    client.force_login(world.alice)
    in_scope = BuildingGroup.objects.filter(is_active=True, building__compound__neighbourhood__street=world.street)
    for n in range(30 - in_scope.count()):
        f.BuildingGroupFactory(building__compound__neighbourhood=world.n1, name=f"组{n:02}")
    total = in_scope.count()
    assert total >= 30
    listed = re.compile(r'href="/manage/gallery/groups/(\d+)/"')

    first = client.get(reverse("gallery:index")).content.decode()
    assert len(listed.findall(first)) == 25
    assert 'href="?page=2"' in first
    second = client.get(reverse("gallery:index"), {"page": 2}).content.decode()
    on_second = listed.findall(second)
    assert len(on_second) == total - 25
    assert not set(on_second) & set(listed.findall(first))
    assert 'href="?page=1"' in second


def test_staff_gallery_list_shows_each_groups_counts_by_state(world, client):
    from tests.corridors.test_activities import make_activity

    for n in range(5):
        work = make_work(world.g1, world.leo, title=f"作品{n}", publish=n < 3)
        if n == 0:
            work_hide(work=work, reason="不合适", by=world.alice)
    make_activity(world.g1, world.leo, title="活动一")
    make_activity(world.g1, world.leo, title="活动二", days=-3)
    client.force_login(world.alice)
    html = client.get(reverse("gallery:index")).content.decode()
    row = html.split(f'href="{reverse("gallery:group", args=[world.g1.pk])}"', 1)[1].split("</tr>", 1)[0]
    assert f">{world.g1}</a>" in row and world.n1.name in row
    # Published, drafts, hidden, activities; the other group has none of them.
    assert [c.strip() for c in row.split("<td>")[1:]] == ["2</td>", "2</td>", "1</td>", "2</td>"]
    other = html.split(f'href="{reverse("gallery:group", args=[world.g2.pk])}"', 1)[1].split("</tr>", 1)[0]
    assert [c.strip() for c in other.split("<td>")[1:]] == ["0</td>", "0</td>", "0</td>", "0</td>"]
