"""`kinerja demo`: load the demo agencies and print the demo accounts."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.demo.loader import DemoDataError, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo agencies (planning data of 2025 with realisasi for TW I-III) and create "
        "one login per demo role. Safe to run again: nothing changes the second time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing (the accounts are not listed)."
        )

    def handle(self, *args: Any, quiet: bool = False, **options: Any) -> None:
        try:
            load_demo(stdout=None if quiet else self.stdout)
        except DemoDataError as exc:
            raise CommandError("\n".join([exc.message, *exc.problems])) from exc
