"""Decoration-plan sketches: uploaded through the shared upload module, only while editable."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from corridors.models import SketchImage
from corridors.workflows.application import State
from tests.corridors.test_application_workflow import make_application, make_year


def jpeg(size=(800, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("sketch.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def year(world):
    return make_year(world.street)


def test_leader_adds_and_removes_a_sketch_on_a_draft(world, year, as_user, run_jobs_here):
    application = make_application(world, year)
    client = as_user(world.leo)

    with run_jobs_here():  # the worker makes the sizes
        response = client.post(
            reverse("applications:sketch_add", args=[application.pk]), {"image": jpeg(), "alt_text": "楼道墙面草图"}
        )
    assert response.status_code == 302
    sketch = SketchImage.objects.get(application=application)
    assert (sketch.large_width, sketch.small_width) == (800, 320)
    assert "楼道墙面草图" in client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    client.post(reverse("applications:sketch_remove", args=[application.pk, sketch.pk]))
    assert not SketchImage.objects.filter(application=application).exists()


def test_a_broken_sketch_is_explained_and_nothing_is_stored(world, year, as_user):
    application = make_application(world, year)
    fake = SimpleUploadedFile("sketch.jpg", b"<html>not a picture</html>", content_type="image/jpeg")

    response = as_user(world.leo).post(
        reverse("applications:sketch_add", args=[application.pk]), {"image": fake, "alt_text": "草图"}
    )
    assert response.status_code == 400
    assert "此文件不是 JPEG、PNG 或 WebP 图片。" in response.content.decode()
    assert not SketchImage.objects.exists()


@pytest.mark.parametrize("persona", ["lena", "cindy", "bob"])
def test_nobody_else_adds_sketches(world, year, as_user, persona):
    application = make_application(world, year)
    response = as_user(getattr(world, persona)).post(
        reverse("applications:sketch_add", args=[application.pk]), {"image": jpeg(), "alt_text": "草图"}
    )
    assert response.status_code in (403, 404)
    assert not SketchImage.objects.exists()


def test_no_sketches_once_submitted(world, year, as_user):
    application = make_application(world, year, state=State.SUBMITTED)
    response = as_user(world.leo).post(
        reverse("applications:sketch_add", args=[application.pk]), {"image": jpeg(), "alt_text": "草图"}
    )
    assert response.status_code in (302, 403, 404)
    assert not SketchImage.objects.exists()
