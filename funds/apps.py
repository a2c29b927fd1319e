from decimal import Decimal

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """funds' hooks into pages and services it does not own (docs/architecture.md); each one
    is implemented in ``funds/sections.py``, imported late because models are not ready here."""

    name = "funds"
    verbose_name = _("Funds")

    def ready(self):
        from funds import pagecache

        pagecache.connect()

    def load_demo(self, street):
        """Called by ``manage.py load_demo`` after the corridors part of the demo world."""
        from funds import sections

        sections.load_demo(street)

    def reminders(self, street, today, policy) -> list:
        """Corridors waiting for their acceptance check, payouts waiting for approval and units
        unpaid after a campaign's deadline, for the morning reminders (``corridors.reminders``)."""
        from funds.reminders import inspection_reminders, payout_reminders, unpaid_reminders

        return (
            inspection_reminders(street, today, policy)
            + payout_reminders(street, today, policy)
            + unpaid_reminders(street, today, policy)
        )

    def staff_search(self, user, q) -> list[dict]:
        """The site-wide search box's campaigns and units (corridors.views.search)."""
        from funds.search import staff_search

        return staff_search(user, q)

    def home_sections(self, user) -> list[tuple[str, dict]]:
        """The signed-in home page's funds section (corridors renders it; it never imports funds)."""
        from funds import sections

        return sections.home_section(user)

    def public_corridor_sections(self, group) -> list[tuple[str, dict]]:
        """The public corridor page's award badge, culture fund and ledger (a fixed number of queries)."""
        from funds import sections

        return sections.public_corridor_section(group)

    def application_sections(self, application, user) -> list[tuple[str, dict]]:
        """The application page's acceptance checks, award, payouts and ledger (a fixed number of queries)."""
        from funds import sections

        return sections.application_section(application, user)

    def programme_year_committed(self, year) -> Decimal:
        """What a programme year's budget has already given (corridors sums it over the apps)."""
        from funds import sections

        return sections.programme_year_committed(year)

    def programme_year_money_changed(self, year, actor, changes) -> None:
        """A programme year's money settings changed (corridors' service, same transaction): log it."""
        from funds import sections

        sections.programme_year_money_changed(year, actor, changes)

    def person_records(self, person):
        """Units owned by the person, their consents and payments (corridors.personal_data)."""
        from funds.personal_data import person_records

        return person_records(person)

    def anonymise_expired(self, now):
        """Owners of finished campaigns past their retention period are anonymised; money stays."""
        from funds.personal_data import anonymise_expired

        return anonymise_expired(now)
