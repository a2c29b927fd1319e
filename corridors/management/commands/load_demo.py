from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from corridors.demo import ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Build the demo world (四平路街道). Safe to run again: it changes nothing the second time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load it although DEBUG is off (the quick start does; never on a real site).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this may be a real site: the demo would add accounts with a published "
                "password. Run it with --force only on a demo or test installation."
            )
        load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo world ready. Accounts (password {DEMO_PASSWORD}):"))
        for username, full_name, _phone, role, _kind, scope in [
            *ACCOUNTS,
            ("admin", "系统管理员", "", "superuser", None, None),
        ]:
            where = "" if scope is None else f" — {' '.join(scope) if isinstance(scope, tuple) else scope}"
            self.stdout.write(f"  {username:<13} {full_name} ({role}){where}")
        self.stdout.write(
            "staff, finance and admin also type a six-digit code after the password (second factor): "
            "get the current one with `.venv/bin/python manage.py otp_code staff` (or finance, admin), "
            "or add the demo secret to an authenticator app (README)."
        )
