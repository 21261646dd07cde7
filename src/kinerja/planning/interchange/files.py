"""Uploaded or stored planning files: JSON or xlsx, told apart by their content."""

import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kinerja.organizations.access import UserScope
from kinerja.planning.interchange.importer import planning_import
from kinerja.planning.interchange.problems import ImportProblem, ImportReport
from kinerja.planning.interchange.workbook import read_workbook

ZIP_MAGIC = b"PK\x03\x04"  # an xlsx workbook is a zip archive


@dataclass
class PlanningFile:
    """The document read from a file (None when unreadable), problems, and cells for xlsx."""

    data: dict[str, Any] | None
    problems: list[ImportProblem] = field(default_factory=list)
    cells: dict[str, str] | None = None


def read_planning_file(content: bytes) -> PlanningFile:
    """Read a JSON document or an xlsx workbook (decided by the bytes, not the file name)."""
    if content.startswith(ZIP_MAGIC):
        workbook = read_workbook(io.BytesIO(content))
        return PlanningFile(workbook.data, workbook.problems, workbook.cells)
    try:
        data = json.loads(content.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        return PlanningFile(None, [ImportProblem("", _("The file is neither JSON nor xlsx."))])
    except json.JSONDecodeError as exc:
        return PlanningFile(
            None,
            [
                ImportProblem(
                    "",
                    _("The file is not valid JSON (line %(line)d, column %(column)d).")
                    % {"line": exc.lineno, "column": exc.colno},
                )
            ],
        )
    if not isinstance(data, dict):
        return PlanningFile(
            None, [ImportProblem("", _("The document must be a JSON object { … }."))]
        )
    return PlanningFile(data)


def planning_import_file(*, actor: UserScope | None, content: bytes, dry_run: bool) -> ImportReport:
    """`planning_import` for the bytes of a .json or .xlsx file.

    Cells that could not be read are reported first; the rest of the workbook is
    still checked (as a dry run) so one upload shows every problem.
    """
    planning_file = read_planning_file(content)
    if planning_file.data is None:
        return ImportReport(problems=planning_file.problems)
    report = planning_import(
        actor=actor,
        data=planning_file.data,
        dry_run=dry_run or bool(planning_file.problems),
        cells=planning_file.cells,
    )
    if planning_file.problems:
        seen = {problem.path for problem in planning_file.problems}
        report.problems = planning_file.problems + [
            problem for problem in report.problems if problem.path not in seen
        ]
        report.applied = False
    return report
