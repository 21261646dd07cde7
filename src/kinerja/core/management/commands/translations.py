"""`kinerja translations`: refresh the Indonesian catalogue from the source and compile it.

Runs `makemessages -l id` over the package (needs GNU gettext's xgettext),
fills empty entries from any fragment files in `locale/fragments/*.po` (then
removes them: the catalogue is the single source of truth), compiles the .mo
with Babel, and fails when an entry is still untranslated or fuzzy.
"""

import os
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

PACKAGE_DIR = Path(settings.PACKAGE_DIR)
LOCALE_DIR = PACKAGE_DIR / "locale"
CATALOGUE = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po"
FRAGMENTS = LOCALE_DIR / "fragments"


class Command(BaseCommand):
    help = "Update, merge and compile the Indonesian translation catalogue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-extract", action="store_true", help="Only merge fragments and compile."
        )

    def handle(self, *args: Any, no_extract: bool = False, **options: Any) -> None:
        if not no_extract:
            cwd = os.getcwd()
            os.chdir(PACKAGE_DIR)
            try:
                call_command(
                    "makemessages", locale=["id"], no_obsolete=True, no_location=True, verbosity=0
                )
            finally:
                os.chdir(cwd)
        with CATALOGUE.open("rb") as handle:
            catalogue = read_po(handle, locale="id")
        fragments = sorted(FRAGMENTS.glob("*.po")) if FRAGMENTS.is_dir() else []
        for fragment in fragments:
            with fragment.open("rb") as handle:
                for message in read_po(handle, locale="id"):
                    target = catalogue.get(message.id, message.context)
                    if (
                        message.id
                        and message.string
                        and target is not None
                        and (
                            not target.string
                            or (isinstance(target.string, tuple) and not any(target.string))
                            or target.fuzzy
                        )
                    ):
                        target.string = message.string
                        target.flags.discard("fuzzy")
        with CATALOGUE.open("wb") as handle:
            write_po(handle, catalogue, width=100, omit_header=False, sort_output=True)
        for fragment in fragments:
            fragment.unlink()
        with CATALOGUE.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalogue)
        missing = [
            message.id
            for message in catalogue
            if message.id and (message.fuzzy or not _translated(message.string))
        ]
        if missing:
            listing = "\n".join(f"  {m!r}" for m in missing[:50])
            raise CommandError(f"{len(missing)} untranslated or fuzzy entries:\n{listing}")
        self.stdout.write(f"Catalogue complete: {len(catalogue)} entries.")


def _translated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)
