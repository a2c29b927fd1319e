from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Stall consultations")

    def ready(self):
        from consultations import pagecache

        pagecache.connect()

    def load_demo(self, street):
        """Called by ``manage.py load_demo`` after the corridors part of the demo world."""
        from consultations.demo import load_demo_consultations

        load_demo_consultations(street)

    def generate_district(self, context, log=print):
        """Called by ``manage.py generate_district`` after the corridors part (categories and requests)."""
        from consultations.district import generate_district_requests

        generate_district_requests(context, log=log)

    def staff_search(self, user, q):
        """The site-wide search box's requests section (corridors.views.search)."""
        from consultations.search import staff_search

        return staff_search(user, q)

    def reminders(self, street, today, policy):
        """Follow-ups due soon or overdue, for the morning reminders (corridors.reminders)."""
        from consultations.reminders import follow_up_reminders

        return follow_up_reminders(street, today, policy)

    def home_sections(self, user):
        """The signed-in home page's consultations section (corridors renders it; it never imports consultations)."""
        from consultations.sections import home_section

        return home_section(user)

    def person_records(self, person):
        """Requests that name the person or were filed by them (corridors.personal_data)."""
        from consultations.personal_data import person_records

        return person_records(person)

    def anonymise_expired(self, now):
        """Closed requests past their retention period lose the residents' words (corridors.personal_data)."""
        from consultations.personal_data import anonymise_expired

        return anonymise_expired(now)
