"""What an import reports: the problems found (with where) and what it did or would do."""

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportProblem:
    """One reason the document cannot be imported.

    `path` points into the document ("indicators[3].polarity", 0-based indexes)
    or, for a workbook, at the cell ("Indikator!D7"); empty for the whole file.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class ImportReport:
    """The outcome of an import or of its dry run.

    The counts map a kind of record ("indicators", "agreement_lines", … — see
    `summary.KIND_LABELS`) to how many were (or in a dry run would be) created,
    updated or left unchanged; kinds with no record are left out. There are no
    counts when problems were found before writing.
    """

    problems: list[ImportProblem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _parent_path(path: str) -> str:
    return path[: max(path.rfind("."), path.rfind("["), 0)]


def locate(problems: list[ImportProblem], cells: Mapping[str, str]) -> list[ImportProblem]:
    """Point each problem at its workbook cell: the cell of its path or of its nearest ancestor."""
    located = []
    for problem in problems:
        path = problem.path
        while path and path not in cells:
            path = _parent_path(path)
        where = cells.get(path) if path else cells.get("")
        located.append(ImportProblem(where or problem.path, problem.message))
    return located
