"""The district (区) above the street: ``Street.district`` was free text; each distinct text
becomes a District row and the street points at it. District and city users (Oversight)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def districts_from_text(apps, schema_editor):
    District = apps.get_model("corridors", "District")
    Street = apps.get_model("corridors", "Street")
    for street in Street.objects.all():
        name = (street.district or "").strip() or "未填写区"
        district, _ = District.objects.get_or_create(name=name)
        street.district_ref = district
        street.save(update_fields=["district_ref"])


def text_from_districts(apps, schema_editor):
    Street = apps.get_model("corridors", "Street")
    for street in Street.objects.select_related("district_ref"):
        street.district = street.district_ref.name
        street.save(update_fields=["district"])


class Migration(migrations.Migration):
    dependencies = [
        ("corridors", "0009_audit_trail"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="District",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(help_text="For example 杨浦区", max_length=100, unique=True, verbose_name="name"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"verbose_name": "district", "verbose_name_plural": "districts", "ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="street",
            name="district_ref",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="corridors.district"
            ),
        ),
        migrations.RunPython(districts_from_text, text_from_districts),
        migrations.RemoveConstraint(model_name="street", name="street_unique_name"),
        migrations.RemoveField(model_name="street", name="district"),
        migrations.RenameField(model_name="street", old_name="district_ref", new_name="district"),
        migrations.AlterField(
            model_name="street",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="streets",
                to="corridors.district",
                verbose_name="district",
            ),
        ),
        migrations.AddConstraint(
            model_name="street",
            constraint=models.UniqueConstraint(fields=("district", "name"), name="street_unique_name"),
        ),
        migrations.AlterModelOptions(
            name="street",
            options={"ordering": ["district__name", "name"], "verbose_name": "street", "verbose_name_plural": "streets"},
        ),
        migrations.CreateModel(
            name="Oversight",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "district",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for a city user, who sees every district.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="oversights",
                        to="corridors.district",
                        verbose_name="district",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="oversights",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={"verbose_name": "district or city role", "verbose_name_plural": "district and city roles"},
        ),
        migrations.AddConstraint(
            model_name="oversight",
            constraint=models.UniqueConstraint(
                fields=("user", "district"), name="oversight_unique", nulls_distinct=False
            ),
        ),
    ]
