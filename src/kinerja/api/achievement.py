"""GET /agencies/{code}/achievement?year=&period=: capaian per objective and indicator."""

from django.http import HttpRequest
from ninja import Router

from kinerja.api.schemas import (
    AchievementFields,
    AchievementTableOut,
    ErrorOut,
    TargetOut,
    decimal_str,
)
from kinerja.measurement.selectors import (
    IndicatorAchievement,
    achievement_table,
    parse_period,
    parse_year,
    period_param,
)
from kinerja.organizations.selectors import agency_get
from kinerja.planning.selectors import working_year

router = Router(tags=["achievement"])


@router.get(
    "/{code}/achievement",
    response={200: AchievementTableOut, 404: ErrorOut, 422: ErrorOut},
    summary="Achievement (capaian) and rating (predikat) for a year and period",
)
def get_achievement(
    request: HttpRequest,
    code: str,
    year: int | None = None,
    period: str | None = None,
) -> dict:
    """`period`: tw1, tw2, tw3, tw4, s1, s2 or annual (the default).

    The same figures as the Capaian page: a quarter against its Rencana Aksi
    target, S1 against TW I–II, S2 and the year against the PK target.
    """
    scope = request.scope  # type: ignore[attr-defined]
    agency = agency_get(scope=scope, code=code)
    chosen_period = parse_period(period)
    chosen_year = parse_year(year) or working_year(scope=scope, agencies=[agency])
    table = achievement_table(scope=scope, agency=agency, year=chosen_year, period=chosen_period)
    return {
        "agency": agency.code,
        "year": table.year,
        "period": period_param(table.period),
        "period_label": table.period_label,
        "achievement_cap": decimal_str(agency.achievement_cap),
        "rating_scale": [
            {"min": decimal_str(band.lower_bound), "label": band.label}
            for band in table.scale.bands
        ],
        "objectives": [
            {
                **AchievementFields.of(group.achievement, group.rating),
                "code": group.objective.code,
                "statement": group.objective.statement,
                "level": group.objective.level,
                "indicators": [_indicator_out(row) for row in group.indicators],
            }
            for group in table.objectives
        ],
        "rating_counts": [
            {"label": item.label, "count": item.count} for item in table.rating_counts
        ],
        "not_computable": table.not_computable,
    }


def _indicator_out(row: IndicatorAchievement) -> dict:
    indicator = row.indicator
    return {
        **AchievementFields.of(row.achievement, row.rating),
        "code": indicator.code,
        "name": indicator.name,
        "unit_of_measure": indicator.unit_of_measure,
        "is_key": indicator.is_key,
        "target": TargetOut.of_target(row.target),
        "target_source": row.target_source,
        "realization": decimal_str(row.realization),
    }
