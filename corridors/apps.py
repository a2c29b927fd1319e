from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorridorsConfig(AppConfig):
    name = "corridors"
    verbose_name = _("Warm corridors")

    def ready(self):
        from corridors import inbox_count, list_counts, pagecache, scope_cache

        pagecache.connect()
        list_counts.connect()
        inbox_count.connect()
        scope_cache.connect()

    def person_records(self, person):
        """Corridors' records about one person (accounts, gallery works): corridors.personal_data."""
        from corridors.personal_data import corridors_person_records

        return corridors_person_records(person)

    def anonymise_expired(self, now):
        """Activity sign-ups are deleted a month after the activity (corridors.services.signups)."""
        from corridors.services.signups import signups_delete_expired

        return {"activity_signups": signups_delete_expired(now)}
