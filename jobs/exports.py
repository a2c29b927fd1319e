"""Large exports built by a job and offered for download when ready, with progress.

An app registers a builder once::

    @exporter("funds.campaign_units")
    def campaign_units(*, params, user, progress):
        rows = ...
        progress(0, len(rows))
        ...  # call progress(done, total) now and then
        return "units.xlsx", workbook_bytes

and a view calls ``export_request(user=…, builder="funds.campaign_units", params={…},
title=…)`` (after its own permission check) and redirects to ``export.get_absolute_url()``:
the page shows the progress and, when the file is ready, a download link for that person
only. The builder runs in the worker as the requesting user (``user``), so it applies the
same scope the page would; the file goes to the private store.
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.core import job
from jobs.models import Export

logger = logging.getLogger(__name__)

BUILDERS: dict = {}

# A finished export's file is kept this long, then removed by ``export_prune``.
KEEP_FOR = datetime.timedelta(days=7)


def exporter(name: str):
    """Register an export builder under ``name``."""

    def register(func):
        BUILDERS[name] = func
        return func

    return register


def export_request(*, user, builder: str, params: dict | None = None, title: str) -> Export:
    """Record the request and enqueue its job in the same transaction."""
    if builder not in BUILDERS:
        raise ValueError(f"No export builder named {builder!r}")
    with transaction.atomic():
        export = Export.objects.create(requested_by=user, builder=builder, params=params or {}, title=title[:200])
        build_export.defer(export_id=export.pk)
    return export


@job(name="jobs.build_export", label=_("Export"), queue="exports")
def build_export(*, export_id: int) -> None:
    export = Export.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None or export.state == Export.State.READY:
        return
    Export.objects.filter(pk=export_id).update(state=Export.State.RUNNING, done=0)

    def progress(done: int, total: int) -> None:
        Export.objects.filter(pk=export_id).update(done=done, total=total)

    try:
        filename, data = BUILDERS[export.builder](params=export.params, user=export.requested_by, progress=progress)
    except Exception:
        Export.objects.filter(pk=export_id).update(state=Export.State.FAILED, finished_at=timezone.now())
        raise
    export.refresh_from_db()
    export.file.save(filename, ContentFile(data), save=False)
    export.filename = filename
    export.state = Export.State.READY
    export.done = export.total
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "filename", "state", "done", "finished_at"])


def export_prune(*, now=None) -> int:
    """Remove finished exports older than ``KEEP_FOR`` (their files too)."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = list(Export.objects.filter(created_at__lt=cutoff))
    for export in old:
        if export.file:
            export.file.delete(save=False)
    Export.objects.filter(pk__in=[e.pk for e in old]).delete()
    return len(old)
