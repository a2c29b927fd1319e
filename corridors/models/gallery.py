"""A corridor's gallery of residents' works and its activities (DESIGN.md §4).

A work's states and steps are the table in ``corridors.workflows.work``. Writes go through
``corridors.services.gallery``; public pages read through the ``public_*`` helpers in
``corridors.selectors``, which show published works only.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import PublicImage, StateChange
from common.search import bigram_field
from corridors.workflows.work import State, label_for


class GalleryWork(models.Model):
    """One resident's work shown in the corridor gallery: a photo, a calligraphy, a family recipe..."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        PAINTING = "painting", _("Painting")
        CALLIGRAPHY = "calligraphy", _("Calligraphy")
        FABRIC_ART = "fabric_art", _("Fabric art")
        RECIPE = "recipe", _("Family recipe")
        OTHER = "other", _("Other")

    State = State

    group = models.ForeignKey(
        "corridors.BuildingGroup", on_delete=models.CASCADE, related_name="works", verbose_name=_("building group")
    )
    kind = models.CharField(_("kind of work"), max_length=20, choices=Kind.choices, default=Kind.PHOTO)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("about the work"), blank=True)
    ingredients = models.TextField(_("ingredients"), blank=True)
    steps = models.TextField(_("steps"), blank=True)
    # Kept only when the author agreed to be named (the service blanks it otherwise).
    author_name = models.CharField(_("author's name"), max_length=50, blank=True)
    author_consent = models.BooleanField(_("the author agreed to be named"), default=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Substring search (common.search): the title and text cut into character pairs.
    SEARCH_TEXT = ("title", "text")
    search_bigrams = bigram_field(*SEARCH_TEXT)

    class Meta:
        verbose_name = _("gallery work")
        verbose_name_plural = _("gallery works")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["draft", "published", "hidden"]), name="work_state_valid"),
            models.CheckConstraint(condition=~Q(state="hidden") | ~Q(hidden_reason=""), name="work_hidden_has_reason"),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False), name="work_published_has_date"
            ),
            models.CheckConstraint(
                condition=Q(author_consent=True) | Q(author_name=""), name="work_author_named_only_with_consent"
            ),
        ]
        indexes = [
            models.Index(fields=["group", "state"]),
            models.Index(fields=["state", "-published_at"]),
            GinIndex(fields=["search_bigrams"], name="work_search_bigrams", fastupdate=False),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("gallery:work", args=[self.pk])

    def get_public_url(self):
        return reverse("public:work", args=[self.pk])

    @property
    def public_author(self) -> str:
        """The name shown to the public: the author's only with their consent, else 居民."""
        if self.author_consent and self.author_name:
            return self.author_name
        return str(_("Resident"))

    @property
    def is_recipe(self) -> bool:
        return self.kind == self.Kind.RECIPE


class WorkTransition(StateChange):
    """History of a work: one row per publish, unpublish, hide or unhide (who, when, from, to, why).

    The work itself keeps only the current reason for hiding; this keeps every one.
    """

    work = models.ForeignKey(GalleryWork, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("work"))
    from_state = models.CharField(_("from"), max_length=24, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=24, choices=State.choices)

    class Meta:
        verbose_name = _("gallery work step")
        verbose_name_plural = _("gallery work steps")
        ordering = ["work_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.work_id}: {self.from_state} → {self.to_state}"

    @property
    def action_label(self) -> str:
        return label_for(self.action)


class WorkImage(PublicImage):
    work = models.ForeignKey(GalleryWork, on_delete=models.CASCADE, related_name="images", verbose_name=_("work"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("picture of a work")
        verbose_name_plural = _("pictures of works")
        ordering = ["work_id", "order", "pk"]

    def __str__(self):
        return self.alt_text

    def pictures_private(self) -> bool:
        # Race: the work published or hidden while the worker stores the sizes: its row lock
        # orders them (the services move the files under the same lock).
        state = GalleryWork.objects.select_for_update().values_list("state", flat=True).get(pk=self.work_id)
        return state != State.PUBLISHED


class Activity(models.Model):
    """A corridor activity (a monthly food day, a mooncake afternoon...), public once entered."""

    class Kind(models.TextChoices):
        FOOD_DAY = "food_day", _("Food day")
        PARENT_CHILD_SPORTS = "parent_child_sports", _("Parent-child sports")
        COOKING_CONTEST = "cooking_contest", _("Cooking contest")
        FLOWER_EXCHANGE = "flower_exchange", _("Flower exchange")
        MOONCAKE_MAKING = "mooncake_making", _("Mooncake making")
        OTHER = "other", _("Other activity")

    group = models.ForeignKey(
        "corridors.BuildingGroup",
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("organised by"),
    )
    kind = models.CharField(_("kind of activity"), max_length=24, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    attendance = models.PositiveIntegerField(_("people who came"), null=True, blank=True)
    # Residents sign up on the public page (``ActivitySignup``); beyond this many they wait.
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: as many as come."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="activity_capacity_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["starts_at"]),
            # Calendar feeds and "coming up" lists: the activities not yet over.
            models.Index(fields=["ends_at"], name="activity_ends_at"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("gallery:activity", args=[self.pk])

    def get_public_url(self):
        return reverse("public:activity", args=[self.pk])


class ActivityPhoto(PublicImage):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("activity"))

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity_id", "pk"]

    def __str__(self):
        return self.alt_text
