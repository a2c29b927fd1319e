from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Funds")

    def load_demo(self, street):
        """Called by ``manage.py load_demo`` after the corridors part of the demo world."""
        from funds.demo import load_demo_funds

        load_demo_funds(street)
