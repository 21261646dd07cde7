"""`kinerja import-planning FILE [--apply]`: check a planning file, and apply it when clean.

Always runs the dry run first and prints every problem with its path or cell
and what would be created or changed. `--apply` (or `--yes`) then imports, all
or nothing, only when the dry run was clean. Exit status 1 when there are
problems. Runs as a trusted operator (no user scope).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.planning.interchange.files import planning_import_file
from kinerja.planning.interchange.problems import ImportReport
from kinerja.planning.interchange.summary import count_lines


class Command(BaseCommand):
    help = "Check a planning file (.json or .xlsx) and, with --apply, import it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A .json or .xlsx planning file.")
        parser.add_argument(
            "--apply",
            "--yes",
            dest="apply",
            action="store_true",
            help="Import when the dry run finds no problem (otherwise only check).",
        )

    def handle(self, *args: Any, file: str, apply: bool = False, **options: Any) -> None:
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {
                    "file": file,
                    "error": exc.strerror or str(exc),
                }
            ) from exc
        self.stdout.write(
            _("Checking %(file)s (dry run, nothing is changed)…") % {"file": path.name}
        )
        report = planning_import_file(actor=None, content=content, dry_run=True)
        self._print(report)
        if report.problems:
            raise CommandError(self._problem_count(report), returncode=1)
        if not apply:
            self.stdout.write(_("No problems found. Run again with --apply to import."))
            return
        report = planning_import_file(actor=None, content=content, dry_run=False)
        if report.problems or not report.applied:
            self._print(report)
            raise CommandError(self._problem_count(report), returncode=1)
        self.stdout.write(self.style.SUCCESS(_("Imported.")))
        for line in count_lines(report):
            self.stdout.write(f"  {line}")

    def _print(self, report: ImportReport) -> None:
        for problem in report.problems:
            self.stdout.write(f"  {problem}")
        if not report.problems:
            self.stdout.write(_("What the import would do:"))
            for line in count_lines(report):
                self.stdout.write(f"  {line}")

    def _problem_count(self, report: ImportReport) -> str:
        count = len(report.problems)
        return ngettext(
            "%(count)d problem found; nothing was changed.",
            "%(count)d problems found; nothing was changed.",
            count,
        ) % {"count": count}
