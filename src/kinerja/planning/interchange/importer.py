"""`planning_import`: load one agency's plans from a document, all or nothing.

Steps: the schema check (structure), the access check (may the actor import
into this agency at all), the semantic checks (references, duplicates, target
rules, NIP), then the writes in one transaction, after which the parts of the
file that actually create or change something are checked against the actor's
rights (`access.access_changes`). A dry run performs the same writes and rolls
them back, so the counts it reports are the real ones; any problem or refusal,
found before or while writing, also rolls everything back.
"""

from collections.abc import Mapping
from typing import Any

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from kinerja.organizations.access import UserScope
from kinerja.planning.interchange.access import access_changes, access_import
from kinerja.planning.interchange.checks import Checker
from kinerja.planning.interchange.document import read_document
from kinerja.planning.interchange.existing import load_existing
from kinerja.planning.interchange.problems import ImportProblem, ImportReport, locate
from kinerja.planning.interchange.schema import schema_problems
from kinerja.planning.interchange.writer import Writer

__all__ = ["ImportProblem", "ImportReport", "planning_import"]


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a refused import."""


def planning_import(
    *,
    actor: UserScope | None,
    data: dict[str, Any],
    dry_run: bool,
    cells: Mapping[str, str] | None = None,
) -> ImportReport:
    """Check `data` and, unless `dry_run` or a problem is found, apply it.

    `actor=None` is a trusted system call (an operator's management command,
    the demo loader). Otherwise AccessDenied, with nothing written, unless the
    actor may plan the agency for every plan record the file creates or changes
    and may organise it for every organisation record (unit, position, new
    employee, assignment, team, member) it creates or changes; creating a
    government or an agency needs the superuser or the government's
    administrator. `cells` maps document paths to workbook cells
    ("Indikator!D7") so problems point at the cell.
    """
    report = _import(actor=actor, data=data, dry_run=dry_run)
    if cells is not None:
        report.problems = locate(report.problems, cells)
    return report


def _import(*, actor: UserScope | None, data: dict[str, Any], dry_run: bool) -> ImportReport:
    problems = schema_problems(data)
    if problems:
        return ImportReport(problems=problems)
    document, problems = read_document(data)
    existing = load_existing(document)
    access_import(actor, existing)
    unreadable = {problem.path for problem in problems}
    # A value that could not be read is absent for the checks; do not report it twice.
    problems += [p for p in Checker(document, existing).run() if p.path not in unreadable]
    if problems:
        return ImportReport(problems=problems)
    writer = Writer(document, existing, actor=actor)
    try:
        with transaction.atomic():
            writer.run()
            assert existing.agency is not None  # the writer found or created it
            access_changes(actor, existing.agency, created=writer.created, updated=writer.updated)
            if writer.problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except DatabaseError as exc:
        # The checks should leave nothing for the database to refuse; if it still
        # does (a concurrent change, a rule we do not know), say so plainly.
        writer.problems.append(
            ImportProblem("", _("The database refused the data: %(error)s") % {"error": exc})
        )
    return ImportReport(
        problems=writer.problems,
        created=dict(writer.created),
        updated=dict(writer.updated),
        unchanged=dict(writer.unchanged),
        applied=not dry_run and not writer.problems,
    )
