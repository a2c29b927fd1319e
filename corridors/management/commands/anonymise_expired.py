from django.core.management.base import BaseCommand

from corridors.personal_data import anonymise_expired


class Command(BaseCommand):
    help = (
        "Anonymise personal data past its retention period (settings.RETENTION_DAYS): closed consultation "
        "requests, owners of finished campaigns. Safe to run daily; the money log is never changed."
    )

    def handle(self, *args, **options):
        counts = anonymise_expired()
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"{kind}: {count}")
