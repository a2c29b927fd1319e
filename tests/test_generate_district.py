"""manage.py generate_district: the sizes asked for, the same data from the same seed, never twice."""

import pytest
from django.core.management import CommandError, call_command

from consultations.models import ConsultationRequest
from corridors.models import BuildingGroup, GalleryWork, Street, WorkImage

SIZES = ["--streets", "2", "--groups", "20", "--works", "60", "--requests", "30", "--applications", "5"]


@pytest.mark.django_db
def test_it_writes_the_sizes_asked_for_and_refuses_a_second_run():
    call_command("generate_district", *SIZES, "--activities", "10")
    assert Street.objects.count() == 2
    assert BuildingGroup.objects.count() == 20
    assert GalleryWork.objects.count() == 60
    # Every work has a picture, and the pictures share three stored files.
    assert WorkImage.objects.count() == 60
    assert WorkImage.objects.values("image_small").distinct().count() == 3
    assert ConsultationRequest.objects.count() == 30
    with pytest.raises(CommandError):
        call_command("generate_district", *SIZES)
