"""One server with its files on local disk, behind the shipped nginx configuration: nginx
serves public pictures itself, and private files only after the app's permission check
(``X-Accel-Redirect`` to its ``internal`` location), never by their address."""

import os
import uuid

import pytest
import requests
from django.db import connection
from django.urls import reverse

from corridors.models import GroupDocument, GroupPhoto, Role
from corridors.services.people import role_assign
from tests import factories as f
from tests.common.test_uploads import VALID_PDF
from tests.corridors.test_files import photo_upload
from tests.deploy.servers import database_url, free_port, nginx_config, start_nginx, start_node, stop, wait_for_port
from tests.deploy.test_two_nodes import NGINX, Site, _required

pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup, django_db_blocker):
    if not os.path.exists(NGINX):
        _required("nginx")
    folder = tmp_path_factory.mktemp("disk-site")
    media = folder / "media"
    with django_db_blocker.unblock():
        db_url = database_url(connection.settings_dict)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "REDIS_", "S3_"))},
        "DJANGO_SETTINGS_MODULE": "tests.deploy.node_settings",
        "DATABASE_URL": db_url,
        "HTTPS": "true",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PROXY_COUNT": "1",
        "MEDIA_STORAGE": "disk",
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ACCEL": "true",
        "SERVE_PUBLIC_MEDIA": "false",
    }
    node = start_node("a", free_port(), env, folder)
    https_port = free_port()
    proxy = start_nginx(
        nginx_config(folder, http_port=free_port(), https_port=https_port, nodes=[node.port], media_root=media)
    )
    try:
        wait_for_port(node.port, node.process, "the app node", seconds=60)
        wait_for_port(https_port, proxy, "nginx")
        yield Site(
            base=f"https://127.0.0.1:{https_port}",
            cert=folder / "cert.pem",
            nodes={"a": node},
            s3=None,
            folder=folder,
            env=env,
        )
    finally:
        stop(proxy, seconds=10)
        node.stop()


@pytest.fixture
def leo(db):
    street = f.StreetFactory()
    g1 = f.BuildingGroupFactory(building__compound__neighbourhood__street=street)
    g2 = f.BuildingGroupFactory(building__compound__neighbourhood__street=street)
    leo, lena = f.UserFactory(username="leo"), f.UserFactory(username="lena")
    role_assign(user=leo, role=Role.LEADER, street=street, building_group=g1)
    role_assign(user=lena, role=Role.LEADER, street=street, building_group=g2)
    return leo, lena, g1


def test_nginx_serves_public_pictures_and_private_files_only_through_the_app(site, leo):
    leo, lena, g1 = leo
    browser = site.sign_in(leo)
    add_photo = reverse("files:photo_add", args=[g1.pk])
    site.get(browser, add_photo)
    assert (
        site.post(
            browser, add_photo, {"alt_text": "花"}, files={"image": ("花.jpg", photo_upload().read())}
        ).status_code
        == 302
    )
    add_document = reverse("files:document_add", args=[g1.pk])
    site.get(browser, add_document)
    assert (
        site.post(browser, add_document, {"title": "同意书"}, files={"file": ("同意书.pdf", VALID_PDF)}).status_code
        == 302
    )

    site.run_worker()
    photo = GroupPhoto.objects.get(building_group=g1)
    picture = requests.get(site.base + f"/media/public/{photo.image_large.name}", verify=site.cert, timeout=10)
    assert picture.status_code == 200 and picture.content[8:12] == b"WEBP"
    assert picture.headers["Content-Type"] == "image/webp" and "immutable" in picture.headers["Cache-Control"]
    assert "X-Served-By" not in picture.headers  # nginx answered, not the app

    document = GroupDocument.objects.get(building_group=g1)
    handed = site.get(browser, reverse("places:document", args=[document.pk]))
    assert handed.status_code == 200 and handed.content == VALID_PDF
    assert handed.headers["Content-Type"] == "application/pdf"
    assert handed.headers["Content-Disposition"].startswith("attachment; filename")
    assert handed.headers["Content-Security-Policy"].startswith("sandbox")
    assert handed.headers["Cache-Control"] == "private, no-store"

    assert site.get(site.sign_in(lena), reverse("places:document", args=[document.pk])).status_code == 404
    for path in (
        f"/_private/{document.file.name}",
        f"/media/private/{document.file.name}",
        f"/media/{document.file.name}",
    ):
        assert site.get(site.browser(), path).status_code == 404, path


def test_a_drafts_picture_is_served_by_nginx_only_after_the_apps_check_and_publicly_once_published(site, leo):
    from corridors.models import GalleryWork

    leo, lena, g1 = leo
    browser = site.sign_in(leo)
    add_work = reverse("gallery:work_add", args=[g1.pk])
    site.get(browser, add_work)
    sent = site.post(
        browser,
        add_work,
        {"kind": GalleryWork.Kind.PHOTO, "title": "楼道新貌", "alt_text": "刷白的楼道"},
        files={"image": ("楼道.jpg", photo_upload().read())},
    )
    assert sent.status_code == 302, sent.text[:500]
    site.run_worker()
    work = GalleryWork.objects.get(group=g1)
    image = work.images.get()
    public_address = f"/media/public/{image.image_small.name}"
    assert site.get(site.browser(), public_address).status_code == 404  # a draft has no public address

    checked = reverse("gallery:work_image_file", args=[work.pk, image.pk])
    handed = site.get(browser, checked)
    assert handed.status_code == 200 and handed.content[8:12] == b"WEBP"
    assert handed.headers["Cache-Control"] == "private, no-store"
    assert site.get(site.sign_in(lena), checked).status_code == 404
    for path in (f"/_private/{image.image_small.name}", f"/media/private/{image.image_small.name}"):
        assert site.get(site.browser(), path).status_code == 404, path

    published = site.post(browser, reverse("gallery:work_publish", args=[work.pk]), {"state": work.state})
    assert published.status_code == 302
    picture = site.get(site.browser(), public_address)
    assert picture.status_code == 200 and picture.content == handed.content
