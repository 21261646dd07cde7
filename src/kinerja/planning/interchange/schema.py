"""Structural validation against `schema.json`, with every error as an Indonesian message.

The schema says what may appear where (types, enumerations, required fields,
no unknown fields); `checks` then judges the meaning. jsonschema's own messages
are English and technical, so each error is reworded from its keyword.
"""

import functools
import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, ValidationError

from kinerja.core.domain.paths import format_path
from kinerja.planning.interchange.problems import ImportProblem

SCHEMA_PATH = Path(__file__).with_name("schema.json")


@functools.cache
def planning_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the planning document."""
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(planning_schema())


def schema_problems(data: Any) -> list[ImportProblem]:
    """Every structural problem of `data`, in document order (empty when it fits the schema)."""
    problems: set[tuple[tuple[Any, ...], ImportProblem]] = set()
    for error in _validator().iter_errors(data):
        for parts, message in _reword(error):
            problems.add((_sort_key(parts), ImportProblem(format_path(parts), message)))
    return [problem for _key, problem in sorted(problems, key=lambda item: item[0])]


def _sort_key(parts: list[str | int]) -> tuple[Any, ...]:
    order = list(planning_schema()["properties"])
    key: list[tuple[int, Any]] = []
    for position, part in enumerate(parts):
        if isinstance(part, int):
            key.append((0, part))
        elif position == 0 and part in order:
            key.append((0, order.index(part)))
        else:
            key.append((1, part))
    return tuple(key)


def _reword(error: ValidationError) -> list[tuple[list[str | int], str]]:
    """(path parts, message) pairs for one jsonschema error."""
    parts: list[str | int] = list(error.absolute_path)
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    if keyword == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        return [([*parts, name], _("This field is required.")) for name in missing]
    if keyword == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(name for name in instance if name not in known)
        return [([*parts, name], _("Unknown field; check its spelling.")) for name in extra]
    return [(parts, _message(keyword, value, instance, error.schema))]


def _message(keyword: Any, value: Any, instance: Any, schema: dict[str, Any]) -> str:
    title = schema.get("title")
    if keyword == "type":
        return _type_message(value if isinstance(value, list) else [value], title)
    if keyword == "enum":
        choices = ", ".join(str(choice) for choice in value if choice is not None)
        return _("“%(value)s” is not allowed; use one of: %(choices)s.") % {
            "value": instance,
            "choices": choices,
        }
    if keyword == "const":
        return _("Must be %(value)s.") % {"value": json.dumps(value)}
    if keyword == "pattern":
        return _pattern_message(title)
    if keyword == "minLength":
        return _("Must not be empty.")
    if keyword == "maxLength":
        return _("At most %(limit)d characters.") % {"limit": value}
    if keyword == "minimum":
        return _("Must be at least %(limit)s.") % {"limit": value}
    if keyword == "maximum":
        return _("Must be at most %(limit)s.") % {"limit": value}
    return _("Invalid value.")


def _type_message(expected: list[str], title: str | None) -> str:
    if title == "year":
        return _("Must be a year, e.g. 2025.")
    if "number" in expected:
        return _("Must be a number, e.g. 85.5.")
    if "integer" in expected:
        return _("Must be a whole number.")
    if "boolean" in expected:
        return _("Must be true or false.")
    if "array" in expected:
        return _("Must be a list [ … ].")
    if "object" in expected:
        return _("Must be an object { … }.")
    return _("Must be text.")


def _pattern_message(title: str | None) -> str:
    if title == "number":
        return _("Write the number with a dot for decimals and no thousands separator, e.g. 85.5.")
    if title == "date":
        return _("Write the date as YYYY-MM-DD, e.g. 2025-01-02.")
    if title == "datetime":
        return _(
            "Write the date and time as YYYY-MM-DDTHH:MM, with an offset if it is not the "
            "government's local time, e.g. 2025-01-27T10:00 or 2025-01-27T10:00:00+08:00."
        )
    return _("Use only letters, digits, hyphens (-) and underscores (_).")
