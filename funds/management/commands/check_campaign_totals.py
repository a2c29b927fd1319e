from django.core.management.base import BaseCommand, CommandError

from funds.models import Campaign, CampaignTally
from funds.services.tallies import campaign_tally_recompute
from funds.totals import counted_from_rows


def drift(campaign: Campaign) -> dict[str, tuple]:
    """Each stored figure that differs from a fresh count of the units: name → (stored, counted)."""
    counted = counted_from_rows(campaign)
    try:
        stored = campaign.tally
    except CampaignTally.DoesNotExist:
        return {"(no stored totals)": (None, counted["units"])}
    return {name: (getattr(stored, name), value) for name, value in counted.items() if getattr(stored, name) != value}


class Command(BaseCommand):
    help = (
        "Count every campaign's totals afresh from its units and report any stored figure that differs "
        "(exit status 1 when one does). With --fix, store the fresh count (under the totals' lock)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Store the fresh count where it differs.")
        parser.add_argument("--campaign", type=int, action="append", help="Only this campaign (repeatable).")

    def handle(self, *args, fix=False, campaign=None, **options):
        campaigns = Campaign.objects.select_related("tally").order_by("pk")
        if campaign:
            campaigns = campaigns.filter(pk__in=campaign)
        drifted = 0
        for each in campaigns.iterator(chunk_size=100):
            differences = drift(each)
            if not differences:
                continue
            drifted += 1
            for name, (stored, counted) in differences.items():
                self.stdout.write(f"campaign {each.pk}: {name} stored {stored}, counted {counted}")
            if fix:
                campaign_tally_recompute(campaign=each)
                self.stdout.write(f"campaign {each.pk}: fixed")
        if not drifted:
            self.stdout.write("All campaign totals match their units.")
        elif not fix:
            raise CommandError(f"{drifted} campaign(s) with drifted totals; run with --fix to store a fresh count.")
        else:
            self.stdout.write(f"{drifted} campaign(s) fixed.")
