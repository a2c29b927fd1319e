"""Files of a building group: public corridor photos and private documents.

The uploads arrive checked by ``common.uploads`` (through the form fields); these services
only store them (a photo's display sizes are made by the worker, ``corridors.images``), and
never leave a file without a row.
"""

from django.core.files.base import ContentFile
from django.db import transaction

from common.uploads import ProcessedImage, UploadedImage, delete_files_now, delete_files_on_commit
from corridors.images import picture_store, receipt_later
from corridors.models import BuildingGroup, GroupDocument, GroupPhoto, User


@transaction.atomic
def group_photo_add(
    *, group: BuildingGroup, image: UploadedImage | ProcessedImage, alt_text: str, by: User
) -> GroupPhoto:
    """Store a photo for the group's public page, shown once its display sizes exist."""
    photo = GroupPhoto(building_group=group, alt_text=alt_text.strip(), uploaded_by=by)
    return picture_store(photo, image)


@transaction.atomic
def group_photo_delete(*, photo: GroupPhoto) -> None:
    """Delete the row, then its files once the deletion is committed."""
    files = photo.all_files()
    photo.delete()
    delete_files_on_commit(*files)


@transaction.atomic
def group_document_add(*, group: BuildingGroup, title: str, kind: str, file: ContentFile, by: User) -> GroupDocument:
    """Store a checked PDF or picture in private storage (no URL of its own); the worker
    re-encodes a picture without metadata (``receipt_later``)."""
    document = GroupDocument(building_group=group, title=title.strip(), kind=kind, uploaded_by=by)
    document.file = file
    document.full_clean(exclude=["file"])
    try:
        document.save()
    except Exception:
        delete_files_now(document.file)
        raise
    receipt_later(document, kind=kind)
    return document
