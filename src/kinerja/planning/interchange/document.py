"""The document after the schema check: typed values, and where each item came from.

Numbers become `Decimal`, dates `datetime.date`, date-times `datetime.datetime`
(naive when the text has no offset: the government's local time), NIPs their 18
digits (an empty optional NIP None) and text is stripped. Keys that are absent
stay absent (the import then leaves the stored value alone); an explicit null or
empty text clears it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kinerja.organizations.domain.nip import InvalidNip, normalize_nip, parse_nip
from kinerja.organizations.validators import NIP_MESSAGES
from kinerja.planning.interchange.problems import ImportProblem

LISTS = (
    "units",
    "positions",
    "employees",
    "assignments",
    "teams",
    "goals",
    "objectives",
    "indicators",
    "annual_targets",
    "agreements",
    "individual_indicators",
    "realizations",
)
NESTED_LISTS = ("members", "lines", "quarters", "programs")
DATE_KEYS = frozenset({"start_date", "end_date", "effective_date"})
DATETIME_KEYS = frozenset({"signed_at"})
NIP_KEYS = frozenset({"nip", "holder_nip", "superior_nip", "superior_external_nip"})
NUMBER_KEYS = frozenset({"value", "low", "high", "baseline", "budget"})
#: numerator/denominator are numbers in realisasi but labels in indicators
RATIO_KEYS = frozenset({"numerator", "denominator"})
#: DecimalField(max_digits=20, decimal_places=4) everywhere; the budget has 2 places
PLACES = {"budget": 2}
DEFAULT_PLACES = 4
LIMIT = Decimal(10) ** 16


@dataclass
class Item:
    """One object of the document with its path ("agreements[2].lines[0]")."""

    path: str
    data: dict[str, Any]

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def at(self, key: str) -> str:
        return f"{self.path}.{key}"

    def items(self, key: str) -> "list[Item]":
        return self.data.get(key) or []


@dataclass
class Document:
    government: Item | None
    agency: Item
    plan: Item | None
    lists: dict[str, list[Item]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> list[Item]:
        return self.lists.get(name, [])


def _to_decimal(raw: Any) -> Decimal:
    if isinstance(raw, float):
        return Decimal(repr(raw))
    return Decimal(str(raw)) if not isinstance(raw, Decimal) else raw


class _Reader:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def item(self, path: str, raw: dict[str, Any], *, ratio_numbers: bool = False) -> Item:
        data: dict[str, Any] = {}
        for key, value in raw.items():
            where = f"{path}.{key}"
            if key in NESTED_LISTS:
                data[key] = [self.item(f"{where}[{i}]", sub) for i, sub in enumerate(value)]
            elif value is None:
                data[key] = None
            elif key in NUMBER_KEYS or (ratio_numbers and key in RATIO_KEYS):
                data[key] = self.number(where, value, PLACES.get(key, DEFAULT_PLACES))
            elif key in DATE_KEYS:
                data[key] = self.date(where, value)
            elif key in DATETIME_KEYS:
                data[key] = self.date_time(where, value)
            elif key in NIP_KEYS:
                data[key] = self.nip(where, value)
            elif isinstance(value, str):
                data[key] = value.strip()
            else:
                data[key] = value
        return Item(path, data)

    def number(self, where: str, raw: Any, places: int) -> Decimal | None:
        try:
            number = _to_decimal(raw)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            self.problems.append(ImportProblem(where, _("Must be a number, e.g. 85.5.")))
            return None
        if abs(number) >= LIMIT:
            self.problems.append(ImportProblem(where, _("The number is too large.")))
            return None
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            self.problems.append(
                ImportProblem(where, _("At most %(places)d decimal places.") % {"places": places})
            )
            return None
        return number

    def date(self, where: str, raw: str) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            self.problems.append(ImportProblem(where, _("This date does not exist.")))
            return None

    def date_time(self, where: str, raw: str) -> datetime.datetime | None:
        try:
            return datetime.datetime.fromisoformat(raw)
        except ValueError:
            self.problems.append(ImportProblem(where, _("This date or time does not exist.")))
            return None

    def nip(self, where: str, raw: str) -> str | None:
        digits = normalize_nip(raw)
        if not digits:  # only optional NIPs may be empty (the schema sees to that)
            return None
        try:
            parse_nip(digits)
        except InvalidNip as exc:
            self.problems.append(ImportProblem(where, str(NIP_MESSAGES[exc.problem])))
        return digits


def read_document(data: dict[str, Any]) -> tuple[Document, list[ImportProblem]]:
    """Type the values of a schema-valid document; problems for values the schema cannot judge."""
    reader = _Reader()
    government = data.get("government")
    plan = data.get("strategic_plan")
    document = Document(
        government=reader.item("government", government) if government is not None else None,
        agency=reader.item("agency", data["agency"]),
        plan=reader.item("strategic_plan", plan) if plan is not None else None,
        lists={
            name: [
                reader.item(f"{name}[{i}]", raw, ratio_numbers=name == "realizations")
                for i, raw in enumerate(data.get(name) or [])
            ]
            for name in LISTS
        },
    )
    return document, reader.problems
