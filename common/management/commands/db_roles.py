"""Create or update the database's two roles: the owner (migrations) and the app (the site).

    DATABASE_URL=postgres://corridors_app:APP_PW@host/corridors \
    DATABASE_OWNER_URL=postgres://corridors_owner:OWNER_PW@host/corridors \
    manage.py db_roles --admin-url postgres://postgres:PW@host/corridors

The role names and passwords are read from the two URLs; the admin URL (or
``DATABASE_ADMIN_URL``) is a role that may create roles, used for this command only. Safe to
run again: it changes only what differs (docs/operations.md "Database roles").
"""

import os

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.db_roles import setup_roles


class Command(BaseCommand):
    help = "Create or update the owner role (migrations) and the least-privileged app role (the site)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-url",
            default=os.environ.get("DATABASE_ADMIN_URL", ""),
            help="A role that may create roles (default: $DATABASE_ADMIN_URL).",
        )

    def handle(self, *args, admin_url, **options):
        if "owner" not in settings.DATABASES:
            raise CommandError("Set DATABASE_OWNER_URL (the owner role) beside DATABASE_URL (the app role).")
        if not admin_url:
            raise CommandError("Give --admin-url (or DATABASE_ADMIN_URL): a role that may create roles.")
        app, owner = settings.DATABASES["default"], settings.DATABASES["owner"]
        if app["NAME"] != owner["NAME"]:
            raise CommandError("DATABASE_URL and DATABASE_OWNER_URL must name the same database.")
        admin = dj_database_url.parse(admin_url)
        connection = psycopg.connect(
            dbname=app["NAME"],
            user=admin["USER"],
            password=admin.get("PASSWORD") or None,
            host=admin.get("HOST") or None,
            port=admin.get("PORT") or None,
        )
        try:
            with connection.transaction(), connection.cursor() as cursor:
                setup_roles(
                    cursor,
                    database=app["NAME"],
                    owner=owner["USER"],
                    app=app["USER"],
                    owner_password=owner.get("PASSWORD") or None,
                    app_password=app.get("PASSWORD") or None,
                )
        finally:
            connection.close()
        self.stdout.write(
            f"Roles ready on {app['NAME']}: {owner['USER']} owns it (migrate), {app['USER']} is the site's role."
        )
