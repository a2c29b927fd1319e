from django.core.management.base import BaseCommand

from corridors.reminders import send_reminders


class Command(BaseCommand):
    help = "Send today's reminder digests (the morning job does this); --dry-run only lists them, by person and kind."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent, to whom; send nothing.")

    def handle(self, *args, dry_run, **options):
        sent = send_reminders(dry_run=dry_run)
        for person, items in sent:
            self.stdout.write(f"{person.username}: {len(items)}")
            for item in items:
                self.stdout.write(f"  - [{item.kind}] {item.line}")
                if item.link:
                    self.stdout.write(f"    {item.link}")
        verb = "would be reminded" if dry_run else "reminded"
        self.stdout.write(f"{len(sent)} people {verb}.")
