"""GET /agencies/{code}/indicators?year=: indicators with Renstra, PK and quarterly targets."""

import datetime

from django.http import HttpRequest
from ninja import Router

from kinerja.api.schemas import ErrorOut, IndicatorOut, TargetOut, decimal_str
from kinerja.measurement.selectors import (
    applicable_line,
    parse_year,
    prefetched_targets,
)
from kinerja.organizations.selectors import agency_get
from kinerja.planning.models import Indicator
from kinerja.planning.selectors import indicator_list, working_year

router = Router(tags=["indicators"])


@router.get(
    "/{code}/indicators",
    response={200: list[IndicatorOut], 404: ErrorOut, 422: ErrorOut},
    summary="Indicators of an agency for a year, with their targets",
)
def list_indicators(
    request: HttpRequest,
    code: str,
    year: int | None = None,
) -> list[dict]:
    """Without `year`: this year if the agency has data for it, else its latest PK year.

    `agreement_target` and `quarterly_targets` come from the PK version in force
    at the end of the year.
    """
    scope = request.scope  # type: ignore[attr-defined]
    agency = agency_get(scope=scope, code=code)
    chosen = parse_year(year) or working_year(scope=scope, agencies=[agency])
    year_end = datetime.date(chosen, 12, 31)
    return [
        _indicator_out(indicator, year_end=year_end)
        for indicator in indicator_list(scope=scope, agency=agency, year=chosen)
    ]


def _indicator_out(indicator: Indicator, *, year_end: datetime.date) -> dict:
    objective = indicator.objective
    unit = indicator.responsible_unit
    lines, annual = prefetched_targets(indicator)
    line = applicable_line(lines, on=year_end)
    agreement_target = None
    quarterly: list[dict] = []
    if line is not None:
        agreement = line.agreement
        agreement_target = {
            **TargetOut.fields_of(line),
            "agreement_version": agreement.version,
            "effective_date": agreement.effective_date,
            "status": agreement.status,
        }
        quarterly = [
            {
                **TargetOut.fields_of(target),
                "quarter": target.quarter,
                "action": target.action,
            }
            for target in line.quarterly_targets.all()
        ]
    return {
        "code": indicator.code,
        "name": indicator.name,
        "objective": {
            "code": objective.code,
            "statement": objective.statement,
            "level": objective.level,
        },
        "unit_of_measure": indicator.unit_of_measure,
        "polarity": indicator.polarity,
        "aggregation": indicator.aggregation,
        "is_key": indicator.is_key,
        "responsible_unit": {"code": unit.code, "name": unit.name} if unit else None,
        "baseline": decimal_str(indicator.baseline),
        "annual_target": TargetOut.fields_of(annual) if annual else None,
        "agreement_target": agreement_target,
        "quarterly_targets": quarterly,
    }
