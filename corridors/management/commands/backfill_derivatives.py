from django.core.management.base import BaseCommand

from corridors.images import BACKFILL_BATCH, backfill_derivatives


class Command(BaseCommand):
    help = (
        "Make the picture sizes that are missing: the medium size of pictures stored before it existed "
        "(from their large size), the sizes of pictures still waiting for the worker, and the re-encoding of "
        "receipt and scan pictures still as uploaded. Safe to repeat; "
        "--dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is missing; change nothing.")
        parser.add_argument("--batch", type=int, default=BACKFILL_BATCH, help="Rows read at a time.")

    def handle(self, *args, dry_run=False, batch=BACKFILL_BATCH, **options):
        counts = backfill_derivatives(dry_run=dry_run, batch=batch)
        self.stdout.write(
            f"missing: {counts['missing']}, made: {counts['made']}, failed: {counts['failed']}"
            + (" (dry run: nothing changed)" if dry_run else "")
        )
