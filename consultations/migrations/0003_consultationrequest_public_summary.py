from django.db import migrations, models

# Requests resolved before the field existed were never reviewed by anyone: they get the
# scrubbed summary, as the public board showed until now.
RESOLVED_STATES = ("resolved", "confirmed")


def copy_scrubbed_summaries(apps, schema_editor):
    from consultations.anonymise import anonymise

    ConsultationRequest = apps.get_model("consultations", "ConsultationRequest")
    rows = (
        ConsultationRequest.objects.filter(state__in=RESOLVED_STATES, public_summary="")
        .values_list("pk", "title", "representative__full_name", "assigned_officer__full_name")
        .iterator(chunk_size=500)
    )
    changed = [
        ConsultationRequest(pk=pk, public_summary=anonymise(title, [rep, officer])[:100])
        for pk, title, rep, officer in rows
    ]
    ConsultationRequest.objects.bulk_update(changed, ["public_summary"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('consultations', '0002_representative_terms'),
    ]

    operations = [
        migrations.AddField(
            model_name='consultationrequest',
            name='public_summary',
            field=models.CharField(blank=True, help_text='Shown on the public board once confirmed: no names, phone numbers or room numbers.', max_length=100, verbose_name='public summary'),
        ),
        migrations.RunPython(copy_scrubbed_summaries, migrations.RunPython.noop),
    ]
