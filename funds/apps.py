from decimal import Decimal

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Funds")

    def load_demo(self, street):
        """Called by ``manage.py load_demo`` after the corridors part of the demo world."""
        from funds.demo import load_demo_funds

        load_demo_funds(street)

    def home_sections(self, user) -> list[tuple[str, dict]]:
        """The signed-in home page's funds section (corridors renders it; it never imports funds)."""
        from funds.sections import home_section

        return home_section(user)

    def public_corridor_sections(self, group) -> list[tuple[str, dict]]:
        """The public corridor page's award badge, culture fund and ledger (a fixed number of queries)."""
        from funds.sections import public_corridor_section

        return public_corridor_section(group)

    def application_sections(self, application, user) -> list[tuple[str, dict]]:
        """The application page's acceptance checks, award, payouts and ledger (a fixed number of queries)."""
        from funds.sections import application_section

        return application_section(application, user)

    def programme_year_committed(self, year) -> Decimal:
        """What a programme year's budget has already given: its approved and paid payouts.

        corridors sums this over the app configs, so a budget is never set below it.
        """
        from funds.services_payouts import year_committed

        return year_committed(year)

    def programme_year_money_changed(self, year, actor, changes) -> None:
        """A programme year's money settings changed (corridors' service, same transaction): log it."""
        from funds.services_payouts import programme_year_money_logged

        programme_year_money_logged(year=year, actor=actor, changes=changes)
