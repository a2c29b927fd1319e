from django.core.management.base import BaseCommand

from corridors.demo import ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Build the demo world (四平路街道). Safe to run again: it changes nothing the second time."

    def handle(self, *args, **options):
        load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo world ready. Accounts (password {DEMO_PASSWORD}):"))
        for username, full_name, _phone, role, _kind, scope in [
            *ACCOUNTS,
            ("admin", "系统管理员", "", "superuser", None, None),
        ]:
            where = "" if scope is None else f" — {' '.join(scope) if isinstance(scope, tuple) else scope}"
            self.stdout.write(f"  {username:<13} {full_name} ({role}){where}")
