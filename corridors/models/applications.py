"""Warm-corridor applications (DESIGN.md §1): the programme year, the application and its history.

The workflow itself (states, actions, who may take them) is the table in
``corridors.workflows.application``; writes go through ``corridors.services.applications``.
"""

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import PublicImage, StateChange, StreetListEntry
from common.search import bigram_field
from corridors.workflows.application import CLOSED_STATES, EDITABLE_STATES, NEXT_STEP, State, label_for

MONEY = {"max_digits": 12, "decimal_places": 2}

# The most one budget line, and one application's whole budget, may come to. Far above any
# corridor's painting and decoration (a few thousand yuan), so a larger figure is a typing
# mistake; it also keeps every line, every sum and the award's renovation limit (12 digits)
# well inside their columns.
BUDGET_CAP = Decimal("9999999.99")

# While the corridor is being made (and until it passes), the leader posts progress photos.
PROGRESS_PHOTO_STATES = frozenset({State.IN_CREATION, State.INSPECTION_REQUESTED, State.RECTIFYING})


class ProgrammeYear(models.Model):
    """评选年度: one street's programme for one year. Staff configure it; nothing is hard-coded."""

    street = models.ForeignKey(
        "corridors.Street", on_delete=models.PROTECT, related_name="programme_years", verbose_name=_("street")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    window_opens = models.DateField(_("applications open on"))
    window_closes = models.DateField(_("applications close on"))
    # The consent minimum as an exact fraction (2/3 by default), so "at least 2/3" never
    # suffers from a rounded decimal.
    consent_numerator = models.PositiveSmallIntegerField(_("consent share: numerator"), default=2)
    consent_denominator = models.PositiveSmallIntegerField(_("consent share: denominator"), default=3)
    culture_fund_amount = models.DecimalField(_("culture fund per corridor"), default=Decimal("2000.00"), **MONEY)
    renovation_cap = models.DecimalField(
        _("renovation cap per corridor"), null=True, blank=True, help_text=_("Empty: no cap."), **MONEY
    )
    criterion_max = models.PositiveSmallIntegerField(_("highest score per criterion"), default=20)
    pass_total_min = models.PositiveSmallIntegerField(_("lowest passing total"), default=80)
    pass_each_min = models.PositiveSmallIntegerField(_("lowest passing score per criterion"), default=12)
    annual_budget = models.DecimalField(_("annual budget"), default=Decimal("0.00"), **MONEY)

    class Meta:
        verbose_name = _("programme year")
        verbose_name_plural = _("programme years")
        ordering = ["street_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year"], name="programme_year_unique"),
            models.CheckConstraint(condition=Q(window_closes__gte=F("window_opens")), name="programme_window_order"),
            models.CheckConstraint(
                condition=Q(consent_numerator__gte=1, consent_numerator__lte=F("consent_denominator")),
                name="programme_consent_share_valid",
            ),
            models.CheckConstraint(
                condition=Q(pass_each_min__lte=F("criterion_max")), name="programme_pass_each_le_max"
            ),
            models.CheckConstraint(
                condition=Q(culture_fund_amount__gte=0, annual_budget__gte=0), name="programme_money_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.street}"

    @property
    def consent_share(self) -> Fraction:
        return Fraction(self.consent_numerator, self.consent_denominator)

    def window_is_open(self, day) -> bool:
        return self.window_opens <= day <= self.window_closes

    def consent_is_met(self, agreed: int, total: int) -> bool:
        """agreed / total ≥ numerator / denominator, in integers ("以上" is inclusive)."""
        return total > 0 and agreed * self.consent_denominator >= total * self.consent_numerator

    def households_needed(self, total: int) -> int:
        """The fewest agreeing households that meet the minimum (a ceiling, exactly)."""
        return -(-total * self.consent_numerator // self.consent_denominator)


class Theme(StreetListEntry):
    """A corridor theme; each street keeps and edits its own list."""

    street = models.ForeignKey(
        "corridors.Street", on_delete=models.PROTECT, related_name="themes", verbose_name=_("street")
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["street_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="theme_unique_name")]


class Application(models.Model):
    """A building group's self-nomination (自荐申报) for the warm-corridor title in one programme year."""

    State = State

    group = models.ForeignKey(
        "corridors.BuildingGroup",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("building group"),
    )
    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="applications", verbose_name=_("programme year")
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="applications", verbose_name=_("theme"))
    title = models.CharField(_("title"), max_length=100)
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.DRAFT)
    plan = models.TextField(_("decoration plan"))
    households_agreed = models.PositiveIntegerField(_("households that agreed"))
    # Copied from the group when the application is written, so a later change to the
    # group does not change what was decided.
    households_total = models.PositiveIntegerField(_("households in the group"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Substring search (common.search): the title by character pairs, the places by name.
    SEARCH_TEXT = ("title",)
    SEARCH_RELATED = ("group__name", "group__building__name", "group__building__compound__name")
    search_bigrams = bigram_field(*SEARCH_TEXT)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One live application per group and year; a withdrawn or rejected one does not count.
            models.UniqueConstraint(
                fields=["group", "programme_year"],
                condition=~Q(state__in=sorted(s.value for s in CLOSED_STATES)),
                name="application_one_live_per_group_year",
            ),
            models.CheckConstraint(condition=Q(households_total__gte=1), name="application_households_positive"),
            models.CheckConstraint(
                condition=Q(households_agreed__lte=F("households_total")), name="application_agreed_le_total"
            ),
            models.CheckConstraint(condition=Q(state__in=State.values), name="application_state_valid"),
        ]
        indexes = [
            models.Index(fields=["state", "programme_year"]),
            GinIndex(fields=["search_bigrams"], name="application_search_bigrams", fastupdate=False),
            # The street list's default sort (common.listing.sort_queryset adds the pk).
            models.Index(fields=["-updated_at", "id"], name="application_updated_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("applications:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def consent_is_met(self) -> bool:
        return self.programme_year.consent_is_met(self.households_agreed, self.households_total)

    @property
    def next_step(self) -> str:
        return NEXT_STEP[self.state]

    @property
    def takes_progress_photos(self) -> bool:
        return self.state in PROGRESS_PHOTO_STATES


class ConventionVersion(models.Model):
    """One version of the residents' convention (楼道公约); a change makes a new version."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="convention_versions", verbose_name=_("application")
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("residents' convention"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("convention version")
        verbose_name_plural = _("convention versions")
        ordering = ["application_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="convention_version_unique")]

    def __str__(self):
        return f"{self.application} v{self.number}"


class BudgetItem(models.Model):
    """One line of the painting and decoration budget (粉刷和装修)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_items", verbose_name=_("application")
    )
    item = models.CharField(_("item"), max_length=100)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    # Computed by the database, so every total and sum agrees to the cent.
    total = models.GeneratedField(
        expression=F("quantity") * F("unit_price"),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("total"),
    )

    class Meta:
        verbose_name = _("budget item")
        verbose_name_plural = _("budget items")
        ordering = ["application_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="budget_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="budget_unit_price_not_negative"),
        ]

    def __str__(self):
        return self.item


class SketchImage(PublicImage):
    """A sketch of the decoration plan."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="sketches", verbose_name=_("application")
    )

    class Meta:
        verbose_name = _("sketch")
        verbose_name_plural = _("sketches")
        ordering = ["application_id", "pk"]

    def __str__(self):
        return self.alt_text

    def pictures_private(self) -> bool:
        return True  # shown to those responsible only, never publicly


class ProgressPhoto(PublicImage):
    """A photo of the corridor while it is being made (DESIGN.md §1: "in creation"), posted by the leader."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="progress_photos", verbose_name=_("application")
    )
    caption = models.CharField(_("caption"), max_length=200)

    class Meta:
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")
        ordering = ["application_id", "created_at", "pk"]

    def __str__(self):
        return self.caption

    def pictures_private(self) -> bool:
        return True  # shown to those responsible only, never publicly


class ApplicationTransition(StateChange):
    """History: one row per workflow step (who, when, from, to, note)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("application")
    )
    from_state = models.CharField(_("from"), max_length=24, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=24, choices=State.choices)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["application_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.application_id}: {self.from_state} → {self.to_state}"

    @property
    def action_label(self) -> str:
        return label_for(self.action)
