"""No request waits on a receipt picture (issue 12): the request checks its header and stores
it as uploaded (privately); the worker re-encodes it without metadata at the largest display
size and deletes the original. Shown for a payout receipt and a request's attachment (the
other places call the same ``corridors.images.receipt_later``)."""

import io
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image
from procrastinate.contrib.django.models import ProcrastinateJob

from common.uploads import DISPLAY_WIDTHS, private_storage
from consultations.models import Attachment
from consultations.services.attachments import attachment_add
from corridors.images import receipt_reencode
from funds.models import Payout, PayoutReceipt
from jobs.core import run_pending_jobs
from tests.common.test_uploads import gps_jpeg
from tests.consultations.conftest import file_request
from tests.corridors.test_picture_processing import truncated_jpeg
from tests.funds.test_acceptance import award_for
from tests.funds.test_payouts_receipts import propose_page

# A phone photo of a receipt: 3000×2000 with GPS and orientation 6 (upright 2000×3000).
PHOTO = gps_jpeg(size=(3000, 2000))


def receipt_jobs():
    return ProcrastinateJob.objects.filter(task_name="corridors.receipt_reencode")


def read(stored) -> bytes:
    with stored.storage.open(stored.name, "rb") as handle:
        return handle.read()


def assert_clean_webp(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP" and not image.getexif() and not image.info.get("xmp")
    assert image.size == (DISPLAY_WIDTHS[-1], 1920)  # upright, at the largest display width


@pytest.mark.django_db(transaction=True)
def test_a_payout_receipt_photo_is_stored_as_uploaded_and_cleaned_by_the_worker(world, client):
    award = award_for(world)
    client.force_login(world.alice)

    response = propose_page(client, award, [SimpleUploadedFile("receipt.jpg", PHOTO, "image/jpeg")], amount="200.00")

    assert response.status_code == 302
    receipt = PayoutReceipt.objects.get(payout__award=award)
    assert receipt.kind == PayoutReceipt.Kind.IMAGE
    original = receipt.file.name
    assert read(receipt.file) == PHOTO  # nothing was decoded in the request
    # Until the worker has run, the approver opens it as uploaded.
    url = reverse("funds:payout_receipt", args=[receipt.pk])
    served = client.get(url)
    assert b"".join(served.streaming_content) == PHOTO
    assert served["Content-Type"] == "image/jpeg" and receipt.download_name.endswith(".jpg")

    run_pending_jobs()

    receipt.refresh_from_db()
    assert receipt.file.name != original and receipt.file.name.startswith("payout-receipts/")
    assert_clean_webp(read(receipt.file))
    assert not private_storage().exists(original)  # the original carried the GPS position
    served = client.get(url)
    assert_clean_webp(b"".join(served.streaming_content))
    assert served["Content-Type"] == "image/webp" and receipt.download_name.endswith(".webp")
    assert Payout.objects.get(award=award).receipts.count() == 1


def test_a_request_attachment_photo_is_cleaned_by_the_worker(world, cw, as_user, run_jobs_here):
    request = file_request(cw)
    client = as_user(world.rita)
    upload = SimpleUploadedFile("scan.jpg", PHOTO, "image/jpeg")
    with run_jobs_here() as ran:
        response = client.post(reverse("consultations:attachment_upload", args=[request.pk]), {"attachment": upload})
        assert response.status_code == 302
        attachment = Attachment.objects.get(request=request)
        original = attachment.file.name
        assert attachment.kind == Attachment.Kind.IMAGE and read(attachment.file) == PHOTO
    assert [job.task_name for job in ran] == ["corridors.receipt_reencode"]
    attachment.refresh_from_db()
    assert attachment.file.name != original
    assert_clean_webp(read(attachment.file))


def test_a_pdf_receipt_enqueues_nothing(world, cw, run_jobs_here):
    from tests.factories import pdf_bytes

    request = file_request(cw)
    with run_jobs_here() as ran:
        attachment_add(actor=world.rita, request=request, kind="pdf", content=ContentFile(pdf_bytes(), name="a.pdf"))
    assert ran == []


def test_a_rolled_back_step_enqueues_nothing(world, cw):
    request = file_request(cw)
    before = receipt_jobs().count()
    with pytest.raises(RuntimeError), transaction.atomic():
        attachment_add(actor=world.rita, request=request, kind="image", content=ContentFile(PHOTO, name="a.jpg"))
        assert receipt_jobs().count() == before + 1
        raise RuntimeError("a later step of the same change fails")
    assert receipt_jobs().count() == before and not Attachment.objects.exists()


def test_a_replaced_receipt_is_not_overwritten_by_a_stale_job(world, cw):
    request = file_request(cw)
    attachment = attachment_add(
        actor=world.rita, request=request, kind="image", content=ContentFile(PHOTO, name="a.jpg")
    )
    job = receipt_jobs().order_by("-id").first()
    assert job.args["name"] == attachment.file.name
    # Before the worker runs, the file is replaced by a newer upload.
    newer = private_storage().save("consultations/newer.jpg", ContentFile(PHOTO))
    Attachment.objects.filter(pk=attachment.pk).update(file=newer)

    assert receipt_reencode(**job.args) == "replaced"

    attachment.refresh_from_db()
    assert attachment.file.name == newer and read(attachment.file) == PHOTO


def test_an_undecodable_picture_is_kept_as_uploaded_with_a_warning(world, cw, caplog):
    request = file_request(cw)
    broken = truncated_jpeg()
    attachment = attachment_add(
        actor=world.rita, request=request, kind="image", content=ContentFile(broken, name="a.jpg")
    )
    job = receipt_jobs().order_by("-id").first()

    with caplog.at_level(logging.WARNING, logger="corridors.images"):
        assert receipt_reencode(**job.args) == "undecodable"

    attachment.refresh_from_db()
    assert read(attachment.file) == broken  # private; staff can still open what was sent
    assert "cannot be decoded" in caplog.text


def test_a_receipt_whose_job_was_lost_is_cleaned_by_the_backfill_once(world, cw, django_capture_on_commit_callbacks):
    """The re-encoding job never ran (lost with a worker): ``manage.py backfill_derivatives``
    (and its job) re-encodes the picture; run again, it finds nothing left to do. A PDF and a
    picture already re-encoded are not touched."""
    from django.core.management import call_command

    from corridors.images import backfill_derivatives
    from tests.factories import pdf_bytes

    request = file_request(cw)
    photo = attachment_add(actor=world.rita, request=request, kind="image", content=ContentFile(PHOTO, name="a.jpg"))
    pdf = attachment_add(actor=world.rita, request=request, kind="pdf", content=ContentFile(pdf_bytes(), name="a.pdf"))
    receipt_jobs().delete()  # lost
    original, pdf_name = photo.file.name, pdf.file.name

    assert backfill_derivatives(dry_run=True) == {"missing": 1, "made": 0, "failed": 0}
    photo.refresh_from_db()
    assert photo.file.name == original  # a dry run changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        call_command("backfill_derivatives")
    photo.refresh_from_db()
    pdf.refresh_from_db()
    assert photo.file.name != original and not private_storage().exists(original)
    assert_clean_webp(read(photo.file))
    assert pdf.file.name == pdf_name

    cleaned = photo.file.name
    assert backfill_derivatives() == {"missing": 0, "made": 0, "failed": 0}
    photo.refresh_from_db()
    assert photo.file.name == cleaned


def test_the_backfill_and_a_late_job_do_not_clean_a_receipt_twice(world, cw):
    """A job only late (still queued) when the backfill runs: the job then finds its file
    replaced and leaves the re-encoded one as it is."""
    request = file_request(cw)
    photo = attachment_add(actor=world.rita, request=request, kind="image", content=ContentFile(PHOTO, name="a.jpg"))
    job = receipt_jobs().order_by("-id").first()
    from corridors.images import backfill_derivatives

    assert backfill_derivatives() == {"missing": 1, "made": 1, "failed": 0}
    photo.refresh_from_db()
    cleaned = photo.file.name
    assert receipt_reencode(**job.args) == "replaced"
    photo.refresh_from_db()
    assert photo.file.name == cleaned and read(photo.file) and private_storage().exists(cleaned)
