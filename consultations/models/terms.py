"""The terms (届) representatives serve for their neighbourhood."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TermQuerySet(models.QuerySet):
    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(starts_on__lte=today, ends_on__gte=today)


class RepresentativeTerm(models.Model):
    """届: the term a representative serves for a neighbourhood (e.g. 第四届, 2024–2028)."""

    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="representative_terms",
        verbose_name=_("representative"),
    )
    neighbourhood = models.ForeignKey(
        "corridors.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="representative_terms",
        verbose_name=_("neighbourhood"),
    )
    term = models.CharField(_("term"), max_length=20, help_text=_("As the street names it, e.g. 第四届."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative's term")
        verbose_name_plural = _("representatives' terms")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["representative", "neighbourhood", "term"], name="term_unique"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="term_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.term} · {self.neighbourhood}"
