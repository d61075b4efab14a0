import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from relations.core.generate.generator import Figures, Generator, SeedAlreadyApplied


def non_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Add realistic, reproducible made-up records (organizations, people and their positions, events with "
        "side meetings and participations, multi-party agreements with parties and signatories, topics, "
        "sources) in bulk, in one transaction. The same --seed, figures and --anchor-date on the same starting "
        "database give the same records; a seed already applied to this database is refused. Rows are written "
        "with bulk_create, so no change history (django-simple-history) is recorded for them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=non_negative, default=2000)
        parser.add_argument("--contacts", type=non_negative, default=20000, help="People (each with 1-3 positions).")
        parser.add_argument("--events", type=non_negative, default=10000, help="Events, side meetings included.")
        parser.add_argument("--agreements", type=non_negative, default=5000)
        parser.add_argument("--seed", type=int, required=True, help="Seed of the random draws; one run per seed.")
        parser.add_argument(
            "--anchor-date", type=datetime.date.fromisoformat, default=None,
            help="YYYY-MM-DD the dates are drawn around (default: today): the past ~8 years and the next year.",
        )
        parser.add_argument("--batch-size", type=non_negative, default=2000)

    def handle(self, *args, **options):
        figures = Figures(organizations=options["organizations"], contacts=options["contacts"],
                          events=options["events"], agreements=options["agreements"])
        if figures.contacts and not figures.organizations:
            raise CommandError("People need organizations to hold positions at: give --organizations > 0.")
        anchor = options["anchor_date"] or datetime.date.today()
        bar = tqdm(total=None, unit=" rows", disable=options["verbosity"] == 0 or None, file=self.stderr._out)
        generator = Generator(seed=options["seed"], figures=figures, anchor=anchor,
                              batch_size=options["batch_size"] or 2000, progress=bar.update)
        bar.total = generator.expected_rows()
        started = time.perf_counter()
        try:
            counts = generator.run()
            bar.total = bar.n  # the total was an estimate; end the bar at 100%
        except SeedAlreadyApplied as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        elapsed = time.perf_counter() - started
        if options["verbosity"]:
            for label, count in counts.items():
                self.stdout.write(f"{count:>8} {label}")
            self.stdout.write(self.style.SUCCESS(
                f"Generated {sum(counts.values())} rows with seed {options['seed']} in {elapsed:.1f} s."))
