"""Acceptance checks (验收) of a finished corridor (DESIGN.md §2).

A check copies the programme year's pass rule when it is scheduled, so a later change of
the rule does not change an outcome already recorded, and so the database can hold every
score to the rule it was given under (a check constraint cannot look at another table).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import PublicImage


class Criterion(models.TextChoices):
    TIDY = "tidy", _("Tidy")
    ORDERLY = "orderly", _("Orderly")
    CIVILISED = "civilised", _("Civilised")
    WARM = "warm", _("Warm")
    HARMONIOUS = "harmonious", _("Harmonious")


# criterion value ("tidy") -> model field ("score_tidy")
SCORE_FIELDS = {criterion.value: f"score_{criterion.value}" for criterion in Criterion}


@dataclass(frozen=True)
class Verdict:
    """The outcome of a set of scores under a rule, with the reasons (shown on the page)."""

    passed: bool
    total: int
    total_min: int
    each_min: int
    low: tuple  # the criteria (labels) below the minimum

    @property
    def total_ok(self) -> bool:
        return self.total >= self.total_min


def judge(scores: dict, *, total_min: int, each_min: int) -> Verdict:
    """Pass when the total is at least ``total_min`` and no criterion is below ``each_min``."""
    total = sum(scores.values())
    low = tuple(Criterion(c).label for c, score in scores.items() if score < each_min)
    return Verdict(passed=total >= total_min and not low, total=total, total_min=total_min, each_min=each_min, low=low)


def _score_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class AcceptanceCheck(models.Model):
    class Outcome(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    application = models.ForeignKey(
        "corridors.Application",
        on_delete=models.PROTECT,
        related_name="acceptance_checks",
        verbose_name=_("application"),
    )
    round = models.PositiveSmallIntegerField(_("inspection round"), default=1)
    scheduled_for = models.DateField(_("inspection date"))
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("inspectors"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.SCHEDULED)
    # The rule, copied from the programme year when the check is scheduled.
    criterion_max = models.PositiveSmallIntegerField(_("highest score per criterion"))
    pass_total_min = models.PositiveSmallIntegerField(_("lowest passing total"))
    pass_each_min = models.PositiveSmallIntegerField(_("lowest passing score per criterion"))
    score_tidy = _score_field(_("Tidy"))
    score_orderly = _score_field(_("Orderly"))
    score_civilised = _score_field(_("Civilised"))
    score_warm = _score_field(_("Warm"))
    score_harmonious = _score_field(_("Harmonious"))
    remarks = models.TextField(_("remarks"), blank=True)
    rectification_items = models.TextField(
        _("rectification items"),
        blank=True,
        help_text=_("One item per line: what must be fixed before the next check."),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheduled by")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("acceptance check")
        verbose_name_plural = _("acceptance checks")
        ordering = ["application_id", "-round"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="check_unique_round"),
            # Two staff scheduling at once: one open check per application.
            models.UniqueConstraint(
                fields=["application"], condition=Q(outcome="scheduled"), name="check_one_open_per_application"
            ),
            models.CheckConstraint(
                condition=Q(pass_each_min__lte=F("criterion_max"), pass_total_min__lte=F("criterion_max") * 5),
                name="check_rule_consistent",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": F("criterion_max")}),
                    name=f"check_{name}_within_max",
                )
                for name in SCORE_FIELDS.values()
            ),
            # A decided check has every score; a scheduled one has none.
            models.CheckConstraint(
                condition=Q(outcome="scheduled", **{f"{n}__isnull": True for n in SCORE_FIELDS.values()})
                | (~Q(outcome="scheduled") & Q(**{f"{n}__isnull": False for n in SCORE_FIELDS.values()})),
                name="check_scores_match_outcome",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["scheduled", "passed", "failed"]), name="check_outcome_valid"
            ),
        ]

    def __str__(self):
        return f"{self.application} #{self.round}"

    def get_absolute_url(self):
        return reverse("funds:check", args=[self.pk])

    @property
    def scores(self) -> dict:
        return {criterion: getattr(self, name) for criterion, name in SCORE_FIELDS.items()}

    @property
    def score_rows(self) -> list[tuple[str, int | None]]:
        return [(Criterion(criterion).label, getattr(self, name)) for criterion, name in SCORE_FIELDS.items()]

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.SCHEDULED

    @property
    def verdict(self) -> Verdict | None:
        if self.is_open:
            return None
        return judge(self.scores, total_min=self.pass_total_min, each_min=self.pass_each_min)

    @property
    def rectification_list(self) -> list[str]:
        return [line.strip() for line in self.rectification_items.splitlines() if line.strip()]


class CheckPhoto(PublicImage):
    """A photo taken at the check. Public-image pipeline (metadata stripped, random names):
    it shows the shared corridor, the same space the public corridor page shows."""

    check_record = models.ForeignKey(
        AcceptanceCheck, on_delete=models.CASCADE, related_name="photos", verbose_name=_("acceptance check")
    )

    class Meta:
        verbose_name = _("check photo")
        verbose_name_plural = _("check photos")
        ordering = ["check_record_id", "pk"]

    def __str__(self):
        return self.alt_text

    def pictures_private(self) -> bool:
        return True  # shown to those responsible only, never publicly
