"""GET /agencies and /agencies/{code}: the agencies the caller may see."""

from django.http import HttpRequest
from ninja import Router

from kinerja.api.schemas import AgencyDetailOut, AgencyOut, ErrorOut, UnitOut, decimal_str
from kinerja.organizations.models import Agency
from kinerja.organizations.selectors import agency_get, agency_list

router = Router(tags=["agencies"])


def agency_out(agency: Agency) -> dict:
    government = agency.government
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "is_coordinating": agency.is_coordinating,
        "government": {"code": government.code, "name": government.name, "level": government.level},
        "achievement_cap": decimal_str(agency.achievement_cap),
    }


@router.get("", response=list[AgencyOut], summary="Agencies the caller may see")
def list_agencies(request: HttpRequest) -> list[dict]:
    return [agency_out(agency) for agency in agency_list(scope=request.scope)]  # type: ignore[attr-defined]


@router.get(
    "/{code}",
    response={200: AgencyDetailOut, 404: ErrorOut},
    summary="One agency with its units",
)
def get_agency(request: HttpRequest, code: str) -> dict:
    agency = agency_get(scope=request.scope, code=code)  # type: ignore[attr-defined]
    units = list(agency.units.filter(archived_at__isnull=True).select_related("parent"))
    return {
        **agency_out(agency),
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "website": agency.website,
        "units": [
            UnitOut(
                code=unit.code,
                name=unit.name,
                kind=unit.kind,
                parent_code=unit.parent.code if unit.parent else None,
            )
            for unit in units
        ],
    }
