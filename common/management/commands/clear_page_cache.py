from django.core.management.base import BaseCommand

from common.pagecache import bump_all


class Command(BaseCommand):
    help = "Retire every cached public page on every node (run after a deployment changes templates)."

    def handle(self, *args, **options):
        bump_all()
        self.stdout.write("Every cached public page will be rendered afresh.")
