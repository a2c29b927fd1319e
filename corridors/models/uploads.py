"""Files a building group keeps: public corridor photos and private documents."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import PublicImage
from common.uploads import private_storage, receipt_suffix


class GroupPhoto(PublicImage):
    """A photo of the corridor, shown on its public page."""

    building_group = models.ForeignKey(
        "corridors.BuildingGroup", on_delete=models.CASCADE, related_name="photos", verbose_name=_("building group")
    )

    class Meta:
        verbose_name = _("corridor photo")
        verbose_name_plural = _("corridor photos")
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt_text


class GroupDocument(models.Model):
    """A private document (for example a signed consent sheet); served only through a checked view."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF document")
        IMAGE = "image", _("Picture")

    building_group = models.ForeignKey(
        "corridors.BuildingGroup", on_delete=models.CASCADE, related_name="documents", verbose_name=_("building group")
    )
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, editable=False)
    file = models.FileField(storage=private_storage, upload_to="group-docs/%Y/%m")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group document")
        verbose_name_plural = _("group documents")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("places:document", args=[self.pk])

    @property
    def download_name(self) -> str:
        return f"document-{self.pk}.{receipt_suffix(self.kind, self.file.name)}"
