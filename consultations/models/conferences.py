"""The representatives' conference (社区代表大会) and the departments' stalls in its lobby."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Conference(models.Model):
    """社区代表大会: the annual representatives' conference, with department stalls in the lobby."""

    street = models.ForeignKey(
        "corridors.Street", on_delete=models.PROTECT, related_name="conferences", verbose_name=_("street")
    )
    name = models.CharField(_("name"), max_length=100)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="conference_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("consultations:conference", args=[self.pk])


class Stall(models.Model):
    """摊位: one department's table at one conference."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="stalls", verbose_name=_("conference")
    )
    department = models.ForeignKey(
        "corridors.Department", on_delete=models.PROTECT, related_name="stalls", verbose_name=_("department")
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="stalls_on_duty", verbose_name=_("officers on duty")
    )
    location = models.CharField(_("place in the lobby"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("stall")
        verbose_name_plural = _("stalls")
        ordering = ["conference_id", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "department"], name="stall_one_per_department"),
        ]

    def __str__(self):
        return f"{self.conference} · {self.department}"

    def get_absolute_url(self):
        return reverse("consultations:stall", args=[self.pk])
