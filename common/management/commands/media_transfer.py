"""Copy an install's uploaded files between local disk and object storage.

    manage.py media_transfer --to s3 [--dry-run]
    manage.py media_transfer --to disk [--dry-run]

Both stores (public and private) are copied, every file under the same name, so the
database needs no change. A file already at the destination with the same size is
skipped, so the command can be run again after an interruption, or once more just before
switching ``MEDIA_STORAGE`` over. The source is left as it was: remove it once the site
runs on the destination.
"""

import posixpath

from django.core.files.storage import Storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from config.media import ALIASES, KINDS, storage_entry


def build(kind: str, alias: str) -> Storage:
    entry = storage_entry(kind, alias)
    return import_string(entry["BACKEND"])(**entry.get("OPTIONS", {}))


def walk(storage: Storage, folder: str = ""):
    """Every file name in ``storage`` (below ``folder``), through the storage API only."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from walk(storage, posixpath.join(folder, sub) if folder else sub)


class Command(BaseCommand):
    help = "Copy uploaded files between local disk and S3-compatible object storage (both stores, same names)."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, choices=KINDS, help="where the files go")
        parser.add_argument("--dry-run", action="store_true", help="say what would be copied, copy nothing")

    def handle(self, *args, to: str, dry_run: bool, **options):
        source_kind = next(kind for kind in KINDS if kind != to)
        totals = {"copied": 0, "skipped": 0}
        for alias in ALIASES:
            try:
                source, target = build(source_kind, alias), build(to, alias)
            except Exception as exc:
                raise CommandError(f"Cannot open the {alias} store: {exc}") from exc
            for name in walk(source):
                size = source.size(name)
                if target.exists(name) and target.size(name) == size:
                    totals["skipped"] += 1
                    continue
                totals["copied"] += 1
                self.stdout.write(f"{'would copy' if dry_run else 'copy'} {alias}/{name} ({size} bytes)")
                if dry_run:
                    continue
                if target.exists(name):
                    target.delete(name)  # a partial copy from an interrupted run
                with source.open(name, "rb") as handle:
                    saved = target.save(name, handle)
                if saved != name:
                    raise CommandError(f"{alias}/{name} was stored as {saved}; the database points at {name}.")
        verb = "would be copied" if dry_run else "copied"
        self.stdout.write(
            self.style.SUCCESS(
                f"{totals['copied']} file(s) {verb} to {to}, {totals['skipped']} already there with the same size."
            )
        )
