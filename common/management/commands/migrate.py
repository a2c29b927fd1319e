"""``migrate`` as the database's owner when there is one (``DATABASE_OWNER_URL``, or the quick
start's owner role): the site's own role may not create or alter tables.

The default connection itself is switched to the owner's credentials for this command, so
data migrations that use the default manager (most do) run as the owner in the same
transaction as the schema changes. Not when the default database is a test database (the
test runner migrates its own copy as whoever created it).
"""

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections

CREDENTIALS = ("NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


class Command(MigrateCommand):
    def handle(self, *args, **options):
        owner = settings.DATABASES.get("owner")
        connection = connections[DEFAULT_DB_ALIAS]
        if owner and options["database"] == DEFAULT_DB_ALIAS and connection.settings_dict["NAME"] == owner["NAME"]:
            connection.close()
            connection.settings_dict.update({key: owner[key] for key in CREDENTIALS if key in owner})
        return super().handle(*args, **options)
