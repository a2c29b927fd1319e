import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def empty_queue(django_db_blocker):
    """The queue's tables are not Django's to flush between committed tests: empty them here."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_events; DELETE FROM procrastinate_jobs; DELETE FROM jobs_joberror")
    yield
