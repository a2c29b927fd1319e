"""District → street → neighbourhood → compound → building → building group (DESIGN.md "Places").

A building group (楼组) is one stairwell; its corridor is the space it decorates, so the
corridor is not modelled separately.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.search import bigram_field


class District(models.Model):
    """区: the district government above the streets; its users see its streets read-only."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("For example 杨浦区"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Street(models.Model):
    name = models.CharField(_("name"), max_length=100)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("district"))

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["district__name", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="street_unique_name")]

    def __str__(self):
        return self.name


class Neighbourhood(models.Model):
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="neighbourhoods", verbose_name=_("street")
    )
    name = models.CharField(_("name"), max_length=100)
    committee_name = models.CharField(_("residents' committee"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("office telephone"), max_length=30, blank=True)
    # Substring search (common.search): names and address through the character-pair index.
    SEARCH_TEXT = ("name", "committee_name", "address")
    search_bigrams = bigram_field(*SEARCH_TEXT)

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["street_id", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="neighbourhood_unique_name")]
        indexes = [
            GinIndex(fields=["search_bigrams"], name="neighbourhood_search_bigrams", fastupdate=False),
            # Staff lists sorted by neighbourhood (the groups list's default): read in this
            # order, a page needs the groups of the first few neighbourhoods, not all of them.
            models.Index(fields=["name", "id"], name="neighbourhood_name_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:neighbourhood", args=[self.pk])


class Compound(models.Model):
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="compounds", verbose_name=_("neighbourhood")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    SEARCH_TEXT = ("name", "address")
    search_bigrams = bigram_field(*SEARCH_TEXT)

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["neighbourhood_id", "name"]
        constraints = [models.UniqueConstraint(fields=["neighbourhood", "name"], name="compound_unique_name")]
        indexes = [
            GinIndex(fields=["search_bigrams"], name="compound_search_bigrams", fastupdate=False),
            models.Index(fields=["name", "id"], name="compound_name_order"),
        ]

    def __str__(self):
        return self.name


class Building(models.Model):
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("compound")
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("For example D座 or 12号"))
    floors = models.PositiveSmallIntegerField(_("floors"))
    households = models.PositiveIntegerField(_("households"))
    elevators = models.PositiveSmallIntegerField(_("elevators"), default=0)
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    SEARCH_TEXT = ("name",)
    search_bigrams = bigram_field(*SEARCH_TEXT)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["compound_id", "name"]
        indexes = [GinIndex(fields=["search_bigrams"], name="building_search_bigrams", fastupdate=False)]
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="building_unique_name"),
            models.CheckConstraint(condition=models.Q(floors__gte=1), name="building_floors_positive"),
            models.CheckConstraint(
                condition=models.Q(year_built__isnull=True) | models.Q(year_built__gte=1800, year_built__lte=2200),
                name="building_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.compound.name} {self.name}"


class BuildingGroup(models.Model):
    """楼组: one stairwell or entrance of a building; the unit of self-governance."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="groups", verbose_name=_("building"))
    name = models.CharField(_("name"), max_length=50, help_text=_("For example 1号门 or 全楼"))
    households = models.PositiveIntegerField(_("households"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Substring search (common.search): a group is found by its name or its places' names
    # and addresses, each through its own table's character-pair index.
    SEARCH_TEXT = ("name",)
    SEARCH_RELATED = ("building__name", "building__compound__name", "building__compound__neighbourhood__name")
    search_bigrams = bigram_field(*SEARCH_TEXT)

    class Meta:
        verbose_name = _("building group")
        verbose_name_plural = _("building groups")
        ordering = ["building_id", "name"]
        indexes = [GinIndex(fields=["search_bigrams"], name="group_search_bigrams", fastupdate=False)]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="group_unique_name"),
            models.CheckConstraint(condition=models.Q(households__gte=1), name="group_households_positive"),
        ]

    def __str__(self):
        return f"{self.building} {self.name}"

    def get_absolute_url(self):
        return reverse("places:group", args=[self.pk])

    def get_public_url(self):
        return reverse("public:corridor", args=[self.pk])


class Department(models.Model):
    """职能部门: a street office department or service provider that answers requests."""

    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="departments", verbose_name=_("street"))
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["street_id", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="department_unique_name")]

    def __str__(self):
        return self.name
