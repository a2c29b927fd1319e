"""Two app nodes behind nginx, as deployed: what is written on one node is seen, cached and
invalidated on the other, and one node can stop without anything being lost.

Real parts only: ``deploy/nginx/corridors.conf`` run by nginx (TLS with a throw-away
certificate), two gunicorn processes with ``gunicorn.conf.py`` and the production settings,
this test's PostgreSQL database, Redis (database 5, a key prefix of its own) and an S3 server
(``rclone serve s3``). nginx sends requests to the nodes in turn; each answer names its node
(``X-Served-By``), so the test knows which node did what.

The story: a leader adds a work on one node (its picture private while a draft) and
publishes it; a resident sees it on the other node, the first serving the same cached copy;
street staff, signed in with password and authenticator code, hide it, and it is gone from
both nodes' cached pages and from the public bucket at once. A private document is handed
out by either node after the check, refused to others. One node stops in the middle of
writes and reads, and nginx serves everything from the other, nothing lost.
"""

import os
import re
import shutil
import subprocess
import sys
import threading
import uuid

import pytest
import redis
import requests
from django.db import connection
from django.urls import reverse

from corridors.models import GroupDocument, GroupPhoto, Role
from corridors.services.people import role_assign
from tests import factories as f
from tests.common.test_uploads import VALID_PDF
from tests.corridors.test_files import photo_upload
from tests.deploy.servers import (
    ROOT,
    database_url,
    free_port,
    nginx_config,
    s3_server,
    start_nginx,
    start_node,
    stop,
    wait_for_port,
)

pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/5"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _required(what: str) -> None:
    if os.environ.get("CI", "").lower() in {"1", "true"} or os.environ.get("REQUIRE_DEPLOY") == "1":
        pytest.fail(f"{what} is needed for the multi-node test (.ci/run installs and starts it)")
    pytest.skip(f"{what} is not available here")


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup, django_db_blocker):
    if not os.path.exists(NGINX):
        _required("nginx")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        _required("Redis on 127.0.0.1:6379")
    os.environ["PATH"] = f"{os.environ['PATH']}:/usr/sbin"
    folder = tmp_path_factory.mktemp("site")
    prefix = f"two-nodes-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        db_url = database_url(connection.settings_dict)
    with s3_server(folder) as s3:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
            **s3.env(),
            "DJANGO_SETTINGS_MODULE": "tests.deploy.node_settings",
            "DATABASE_URL": db_url,
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
            "DEBUG": "false",
            "HTTPS": "true",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1",
            "PROXY_COUNT": "1",
            "MEDIA_ROOT": str(folder / "media"),
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "4",
        }
        ports = {"a": free_port(), "b": free_port()}
        nodes = {name: start_node(name, port, env, folder) for name, port in ports.items()}
        https_port, http_port = free_port(), free_port()
        config = nginx_config(
            folder, http_port=http_port, https_port=https_port, nodes=list(ports.values()), media_root=folder / "media"
        )
        proxy = start_nginx(config)
        try:
            for name, node in nodes.items():
                wait_for_port(node.port, node.process, f"node {name}", seconds=60)
            wait_for_port(https_port, proxy, "nginx")
            yield Site(
                base=f"https://127.0.0.1:{https_port}",
                cert=folder / "cert.pem",
                nodes=nodes,
                s3=s3,
                folder=folder,
                env=env,
            )
        finally:
            stop(proxy, seconds=10)
            for node in nodes.values():
                node.stop()
            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)


class Site:
    def __init__(self, *, base, cert, nodes, s3, folder, env):
        self.base, self.cert, self.nodes, self.s3, self.folder = base, cert, nodes, s3, folder
        self.env = env

    def run_worker(self) -> None:
        """A worker node, as the service runs it, makes the pictures' sizes due now, then stops."""
        subprocess.run(
            [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "pictures", "--one-shot"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def browser(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # the machine's CA bundle variables would replace ours
        session.verify = str(self.cert)
        return session

    def get(self, session, path, *, node=None, **kwargs) -> requests.Response:
        """GET through nginx; with ``node``, until that node answers (nginx takes turns)."""
        for _ in range(6):
            response = session.get(self.base + path, allow_redirects=False, timeout=30, **kwargs)
            if node is None or response.headers.get("X-Served-By") == node:
                return response
        raise AssertionError(f"{path} was never served by node {node}")

    def post(self, session, path, data, *, files=None, referer=None) -> requests.Response:
        token = session.cookies.get("csrftoken")
        return session.post(
            self.base + path,
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            headers={"Referer": self.base + (referer or path)},
            allow_redirects=False,
            timeout=60,
        )

    def sign_in(self, user) -> requests.Session:
        session = self.browser()
        form = self.get(session, reverse("login"))
        assert form.status_code == 200 and "csrftoken" in session.cookies
        response = self.post(session, reverse("login"), {"username": user.username, "password": f.PASSWORD})
        assert response.status_code == 302, response.text[:500]
        if response.headers["Location"].startswith(reverse("second_factor")):
            # Street staff and finance: the six digits their authenticator app shows now.
            assert self.get(session, reverse("second_factor")).status_code == 200
            response = self.post(session, reverse("second_factor"), {"token": f.totp_code(user)})
            assert response.status_code == 302, response.text[:500]
            assert not response.headers["Location"].startswith(reverse("second_factor"))
        return session


def other(node: str) -> str:
    return "b" if node == "a" else "a"


@pytest.fixture
def people(db):
    street = f.StreetFactory(name="四平路街道")
    n1 = f.NeighbourhoodFactory(street=street, name="和平花园居民区")
    g1 = f.BuildingGroupFactory(building__compound__neighbourhood=n1, name="1单元")
    g2 = f.BuildingGroupFactory(building__compound__neighbourhood=n1, name="2单元")
    leo, lena = f.UserFactory(username="leo"), f.UserFactory(username="lena")
    role_assign(user=leo, role=Role.LEADER, street=street, building_group=g1)
    role_assign(user=lena, role=Role.LEADER, street=street, building_group=g2)
    return leo, lena, g1


def test_what_one_node_writes_the_other_serves_with_one_session_and_one_csrf_cookie(site, people):
    leo, lena, g1 = people
    browser = site.sign_in(leo)
    # Signed in on both nodes: the session is in PostgreSQL.
    add_photo = reverse("files:photo_add", args=[g1.pk])
    form = {name: site.get(browser, add_photo, node=name) for name in ("a", "b")}
    assert all(response.status_code == 200 for response in form.values())

    # The form came from one node, the upload goes to the other (nginx takes turns): the
    # CSRF cookie and token are checked there.
    form_node = site.get(browser, add_photo).headers["X-Served-By"]
    upload = site.post(
        browser, add_photo, {"alt_text": "走廊里的花"}, files={"image": ("花.jpg", photo_upload().read())}
    )
    assert upload.status_code == 302, upload.text[:500]
    upload_node = upload.headers["X-Served-By"]
    assert upload_node == other(form_node)
    site.run_worker()  # a third node makes the sizes from the original in the private bucket

    # A resident, on the node that did not take the upload, sees the picture from the
    # public bucket's address, and the page lets the browser load it from there.
    photo = GroupPhoto.objects.get(building_group=g1)
    resident = site.browser()
    page = site.get(resident, g1.get_public_url(), node=other(upload_node))
    assert page.status_code == 200 and "走廊里的花" in page.text
    url = re.search(r'src="([^"]+)"[^>]*alt="走廊里的花"|alt="走廊里的花"[^>]*src="([^"]+)"', page.text)
    picture = next(group for group in url.groups() if group)
    assert picture == f"{site.s3.public_url}/{photo.image_small.name}"
    assert site.s3.public_url in page.headers["Content-Security-Policy"]
    served = requests.get(picture, timeout=10)
    assert served.status_code == 200 and served.content[8:12] == b"WEBP"
    # Nothing was written to either node's disk.
    assert not any(p.is_file() for p in (site.folder / "media").rglob("*"))
    # No cookie for the anonymous visitor.
    assert not resident.cookies


def test_a_private_document_is_handed_out_after_the_check_and_refused_to_others(site, people):
    leo, lena, g1 = people
    browser = site.sign_in(leo)
    add = reverse("files:document_add", args=[g1.pk])
    site.get(browser, add)
    response = site.post(browser, add, {"title": "签字同意书"}, files={"file": ("同意书.pdf", VALID_PDF)})
    assert response.status_code == 302, response.text[:500]
    document = GroupDocument.objects.get(building_group=g1)
    url = reverse("places:document", args=[document.pk])

    for node in ("a", "b"):
        handed = site.get(browser, url, node=node)
        assert handed.status_code == 302 and handed.headers["Cache-Control"] == "private, no-store"
        link = handed.headers["Location"]
        assert link.startswith(f"{site.s3.endpoint}/{site.s3.private_bucket}/")
        fetched = requests.get(link, timeout=10)
        assert fetched.status_code == 200 and fetched.content == VALID_PDF
        assert fetched.headers["Content-Type"] == "application/pdf"

    stranger = site.sign_in(lena)
    assert site.get(stranger, url).status_code == 404
    anonymous = site.get(site.browser(), url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous.headers["Location"]
    # The object store itself gives nothing without a fresh signature.
    assert (
        requests.get(f"{site.s3.endpoint}/{site.s3.private_bucket}/{document.file.name}", timeout=10).status_code >= 400
    )


def test_a_page_cached_by_one_node_is_served_by_the_other_and_a_bump_on_either_retires_it_on_both(site, people):
    _leo, _lena, g1 = people
    visitor = site.browser()
    path = f"/_test/cached/{g1.pk}/"
    first = site.get(visitor, path, node="a")
    assert first.headers["X-Page-Cache"] == "miss" and first.text.endswith("rendered by a")
    from_b = site.get(visitor, path, node="b")
    assert from_b.headers["X-Page-Cache"] == "hit" and from_b.text == first.text
    assert from_b.headers["ETag"] == first.headers["ETag"]
    assert site.get(visitor, path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    bumped = site.browser().post(site.base + f"/_test/bump/{g1.pk}/", timeout=10)
    assert bumped.status_code == 200
    bump_node = bumped.headers["X-Served-By"]
    again = site.get(visitor, path, node=other(bump_node))
    assert again.headers["X-Page-Cache"] == "miss" and again.text.endswith(f"rendered by {other(bump_node)}")
    on_bump_node = site.get(visitor, path, node=bump_node)
    assert on_bump_node.headers["X-Page-Cache"] == "hit" and on_bump_node.text == again.text
    assert not visitor.cookies


def test_a_page_answering_503_on_purpose_takes_no_node_out_of_the_upstream(site, people):
    """The poster answers 503 while SITE_URL is unusable; nginx must not count that as the
    node failing (it once did: every node skipped for 10 s, and the whole site answered 502)."""
    visitor = site.browser()
    for _ in range(4):
        assert visitor.get(site.base + "/_test/unavailable/", timeout=10).status_code == 503
    answers = [visitor.get(site.base + "/healthz", timeout=10) for _ in range(6)]
    assert [r.status_code for r in answers] == [200] * 6
    assert {r.headers.get("X-Served-By") for r in answers} == {"a", "b"}


def test_a_work_uploaded_on_one_node_is_seen_on_the_other_and_hidden_by_staff_at_once_on_both(site, people):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from corridors.models import GalleryWork

    leo, _lena, g1 = people
    alice = f.UserFactory(username="alice")
    role_assign(user=alice, role=Role.STREET_STAFF, street=g1.building.compound.neighbourhood.street)
    TOTPDevice.objects.create(user=alice, name="authenticator", confirmed=True)

    # The leader adds a work on one node and publishes it.
    browser = site.sign_in(leo)
    add = reverse("gallery:work_add", args=[g1.pk])
    site.get(browser, add)
    sent = site.post(
        browser,
        add,
        {"kind": GalleryWork.Kind.PHOTO, "title": "楼道新貌", "alt_text": "刷白的楼道"},
        files={"image": ("楼道.jpg", photo_upload().read())},
    )
    assert sent.status_code == 302, sent.text[:500]
    upload_node = sent.headers["X-Served-By"]
    site.run_worker()
    work = GalleryWork.objects.get(group=g1)
    image = work.images.get()
    # A draft: its picture only in the private bucket.
    assert image.image_small.name in site.s3.keys(site.s3.private_bucket)
    assert image.image_small.name not in site.s3.keys(site.s3.public_bucket)
    published = site.post(browser, reverse("gallery:work_publish", args=[work.pk]), {"state": work.state})
    assert published.status_code == 302

    # A resident sees it through the other node, and the first node serves the same copy from the cache.
    resident = site.browser()
    pages = [work.get_public_url(), g1.get_public_url(), reverse("public:gallery")]
    for path in pages:
        shown = site.get(resident, path, node=other(upload_node))
        assert shown.status_code == 200 and "楼道新貌" in shown.text, path
        cached = site.get(resident, path, node=upload_node)
        assert cached.headers["X-Page-Cache"] == "hit" and cached.text == shown.text, path
    picture = f"{site.s3.public_url}/{image.image_small.name}"
    assert requests.get(picture, timeout=10).status_code == 200

    # Street staff (password and authenticator code) hide it; both nodes' pages lose it at once.
    staff = site.sign_in(alice)
    hide = reverse("gallery:work_hide", args=[work.pk])
    assert site.get(staff, hide).status_code == 200
    hidden = site.post(staff, hide, {"reason": "能看清门牌号", "state": "published"})
    assert hidden.status_code == 302, hidden.text[:500]
    for node in ("a", "b"):
        assert site.get(resident, work.get_public_url(), node=node).status_code == 404, node
        for path in pages[1:]:
            page = site.get(resident, path, node=node)
            assert page.status_code == 200 and "楼道新貌" not in page.text, (node, path)
    assert requests.get(picture, timeout=10).status_code == 404
    assert not resident.cookies


def test_one_node_stops_mid_run_and_nginx_serves_everything_from_the_other(site, people):
    leo, _lena, g1 = people
    browser = site.sign_in(leo)
    add = reverse("files:document_add", args=[g1.pk])
    site.get(browser, add)
    failures, answers = [], []

    writing = threading.Event()

    def visitor():
        # Reads the public page (from the shared cache, quickly) all the while the writes go
        # on, and a few times after.
        session = site.browser()
        after = 0
        while after < 10:
            after += writing.is_set()
            response = session.get(site.base + g1.get_public_url(), timeout=30)
            answers.append(response.headers.get("X-Served-By"))
            if response.status_code != 200:
                failures.append(response.status_code)

    reader = threading.Thread(target=visitor)
    reader.start()
    for number in range(8):
        if number == 3:
            site.nodes["b"].stop()
        response = site.post(browser, add, {"title": f"会议记录{number}"}, files={"file": ("记录.pdf", VALID_PDF)})
        assert response.status_code == 302, (number, response.status_code, response.text[:300])
    writing.set()
    reader.join(60)
    assert not failures
    assert GroupDocument.objects.filter(building_group=g1).count() == 8
    assert answers[-1] == "a" and "b" in answers
    # Signed in still, on the node that is left.
    assert site.get(browser, add).status_code == 200
