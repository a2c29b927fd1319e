from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Shared")

    def ready(self):
        from common.dates import install_lenient_date_readers

        # A date stored by other means (year 1, BC, infinity) must not make every page that
        # lists it answer 500.
        install_lenient_date_readers()
