"""`kinerja export-planning AGENCY_CODE YEAR FILE`: write an agency's plans of a year.

The file name's extension chooses the format (.json or .xlsx); importing the
file again changes nothing. `--template FILE.xlsx` writes an empty workbook
(headers, drop-down lists and instructions only).
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kinerja.organizations.models import Agency
from kinerja.planning.interchange.exporter import planning_export
from kinerja.planning.interchange.workbook import workbook_from_data


class Command(BaseCommand):
    help = "Export an agency's plans of one year as .json or .xlsx (or an empty template)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("agency", nargs="?", help="The agency's code.")
        parser.add_argument("year", nargs="?", type=int, help="The year, e.g. 2025.")
        parser.add_argument("file", nargs="?", help="The file to write (.json or .xlsx).")
        parser.add_argument("--template", metavar="FILE.xlsx", help="Write an empty workbook.")

    def handle(
        self,
        *args: Any,
        agency: str | None = None,
        year: int | None = None,
        file: str | None = None,
        template: str | None = None,
        **options: Any,
    ) -> None:
        if template:
            if Path(template).suffix.lower() != ".xlsx":
                raise CommandError(_("The template is a workbook: use a .xlsx file name."))
            workbook_from_data({}).save(template)
            self.stdout.write(_("Template written to %(file)s.") % {"file": template})
            return
        if not (agency and year and file):
            raise CommandError(_("Give AGENCY_CODE YEAR FILE, or --template FILE.xlsx."))
        suffix = Path(file).suffix.lower()
        if suffix not in (".json", ".xlsx"):
            raise CommandError(_("Use a .json or .xlsx file name."))
        found = Agency.objects.select_related("government").filter(code=agency).first()
        if found is None:
            raise CommandError(_("No agency has the code %(code)s.") % {"code": agency})
        data = planning_export(scope=None, agency=found, year=year)
        if suffix == ".xlsx":
            workbook_from_data(data).save(file)
        else:
            with open(file, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=2)
                handle.write("\n")
        self.stdout.write(_("Written %(file)s.") % {"file": file})
