from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The street's and the district's picture: figures, charts and the year-end report.

    The one app allowed to import corridors, funds and consultations together: it only reads.
    """

    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from dashboards import cache

        cache.connect()
