"""Requests (诉求), their attachments and their history."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import StateChange
from common.search import bigram_field
from common.uploads import private_storage, receipt_suffix
from consultations.models.categories import Category
from consultations.models.conferences import Conference
from consultations.workflows.request import ACTION_LABELS, FOLLOW_UP_STATES, RequestState


class Channel(models.TextChoices):
    PRE_FILED = "pre_filed", _("Filed online before the conference")
    WALK_IN = "walk_in", _("Walk-in at the stall")
    YEAR_ROUND = "year_round", _("Any time of year")


class OverdueQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state__in=FOLLOW_UP_STATES, due_date__lt=today)

    def with_overdue(self, today=None):
        """Annotate ``overdue`` so a list can highlight it without a query per row."""
        today = today or timezone.localdate()
        return self.annotate(
            overdue=models.Case(
                models.When(Q(state__in=FOLLOW_UP_STATES, due_date__lt=today), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class ConsultationRequest(models.Model):
    """诉求: a task a representative brings on behalf of residents, followed to its end."""

    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        verbose_name=_("representative"),
    )
    neighbourhood = models.ForeignKey(
        "corridors.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        verbose_name=_("neighbourhood"),
    )
    compound = models.ForeignKey(
        "corridors.Compound",
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        verbose_name=_("compound"),
    )
    building = models.ForeignKey(
        "corridors.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_requests",
        verbose_name=_("building"),
    )
    households = models.PositiveIntegerField(
        _("households entrusting it"), default=1, help_text=_("How many households asked you to bring this.")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="requests", verbose_name=_("category")
    )
    title = models.CharField(
        _("summary"),
        max_length=60,
        help_text=_("One line, shown on the public board once resolved: no names, phone numbers or room numbers."),
    )
    text = models.TextField(_("what the residents ask"))
    department = models.ForeignKey(
        "corridors.Department",
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        verbose_name=_("department"),
    )
    channel = models.CharField(pgettext_lazy("request", "channel"), max_length=12, choices=Channel)
    conference = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("conference"),
    )
    state = models.CharField(_("state"), max_length=12, choices=RequestState.choices, default=RequestState.SUBMITTED)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer following it up"),
    )
    resolution = models.TextField(_("response"), blank=True)
    # What the public board shows: written (or approved) by whoever resolves the request.
    public_summary = models.CharField(
        _("public summary"),
        max_length=100,
        blank=True,
        help_text=_("Shown on the public board once confirmed: no names, phone numbers or room numbers."),
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(_("filed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Substring search (common.search): summary and text by character pairs, the places by name.
    SEARCH_TEXT = ("title", "text")
    SEARCH_RELATED = ("compound__name", "building__name")
    search_bigrams = bigram_field(*SEARCH_TEXT)

    objects = OverdueQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["department", "state"], name="request_department_state"),
            models.Index(fields=["conference", "state"], name="request_conference_state"),
            GinIndex(fields=["search_bigrams"], name="request_search_bigrams", fastupdate=False),
            # The default sort of every request list, and the public board's.
            models.Index(models.F("created_at").desc(), "id", name="request_created_order"),
            models.Index(
                models.F("resolved_at").desc(),
                models.F("id").desc(),
                condition=Q(state="confirmed"),
                name="request_board_order",
            ),
            # The public board's street, category and compound counts: read from this small
            # index alone (an index-only scan), not from the wide rows of every request.
            models.Index(
                fields=["neighbourhood", "category", "compound", "id"],
                condition=Q(state="confirmed"),
                name="request_board_facets",
            ),
            # "Overdue" counts on every staff list: the requests being followed up, by place and due date.
            models.Index(
                fields=["neighbourhood", "due_date"],
                condition=Q(state__in=sorted(FOLLOW_UP_STATES)),
                name="request_follow_up_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(households__gte=1), name="request_households_positive"),
            models.CheckConstraint(
                condition=~Q(state__in=sorted(FOLLOW_UP_STATES)) | Q(due_date__isnull=False),
                name="request_follow_up_has_due_date",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("consultations:request", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        annotated = getattr(self, "overdue", None)
        if annotated is not None:
            return annotated
        return self.state in FOLLOW_UP_STATES and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def days_to_resolve(self) -> int | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.created_at).days


class Attachment(models.Model):
    """A photo or scan brought with a request; private, served only through a checked view."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF document")
        IMAGE = "image", _("Picture")

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("request")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, editable=False)
    file = models.FileField(storage=private_storage, upload_to="consultations/%Y/%m")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.download_name

    def get_absolute_url(self):
        return reverse("consultations:attachment", args=[self.pk])

    @property
    def download_name(self) -> str:
        return f"request-{self.request_id}-{self.pk}.{receipt_suffix(self.kind, self.file.name)}"


class RequestEvent(StateChange):
    """History: one row per step of a request (who, when, from, to, note), and department moves."""

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    # Blank for filing, the step with no state before it.
    from_state = models.CharField(_("from"), max_length=24, choices=RequestState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=RequestState.choices)
    department_from = models.ForeignKey(
        "corridors.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from department"),
    )
    department_to = models.ForeignKey(
        "corridors.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to department"),
    )

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["request_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.from_state} → {self.to_state}"

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)
