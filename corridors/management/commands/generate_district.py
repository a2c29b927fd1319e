from django.core.management.base import BaseCommand, CommandError

from corridors.district import DISTRICT_NAME, DistrictSize, generate_district


class Command(BaseCommand):
    help = (
        "Generate a district-sized dataset (12 streets, 20,000 building groups, 200,000 works, "
        "50,000 requests by default) for benchmarks and sizing. Deterministic for a given --seed."
    )

    def add_arguments(self, parser):
        default = DistrictSize()
        parser.add_argument("--streets", type=int, default=default.streets)
        parser.add_argument("--groups", type=int, default=default.groups)
        parser.add_argument("--works", type=int, default=default.works)
        parser.add_argument("--requests", type=int, default=default.requests)
        parser.add_argument("--applications", type=int, default=default.applications)
        parser.add_argument("--activities", type=int, default=default.activities)
        parser.add_argument("--seed", type=int, default=default.seed)
        parser.add_argument(
            "--small",
            action="store_true",
            help="A hundredth of the district (2 streets, 200 groups, 2,000 works, 500 requests), for tests.",
        )

    def handle(self, *args, **options):
        if options["small"]:
            size = DistrictSize(
                streets=2, groups=200, works=2000, requests=500, applications=50, activities=200, seed=options["seed"]
            )
        else:
            size = DistrictSize(
                **{
                    k: options[k]
                    for k in ("streets", "groups", "works", "requests", "applications", "activities", "seed")
                }
            )
        if min(size.streets, size.groups) < 1 or size.groups < size.streets:
            raise CommandError("Need at least one street and at least one building group per street.")
        try:
            generate_district(size, log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{DISTRICT_NAME} generated."))
