"""Pages of planning: indicators, Perjanjian Kinerja (and its document), Rencana Aksi, IKI.

Thin: parse the request, call a selector or a service, render. Objects outside
the user's scope are 404 (selectors raise NotFound); a write the user may not
make is 403 with the reason (services raise AccessDenied); both go through
`kinerja.core.views_errors`.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.core.errors import Conflict, NotFound, ValidationFailed
from kinerja.core.views_errors import (
    add_errors_to_form,
    error_messages,
    errors_to_form,
    service_errors,
)
from kinerja.organizations.access import UserScope, access_agency_for_planning
from kinerja.organizations.models import Agency
from kinerja.organizations.selectors import agency_list
from kinerja.planning import selectors, services
from kinerja.planning.access import (
    access_agreement_for_edit,
    access_individual_indicators_for_edit,
    access_position_for_edit,
    can_draft_individual_indicators,
    can_edit_position,
    ensure_draft,
)
from kinerja.planning.consistency import QUARTER_NAMES
from kinerja.planning.forms import (
    AgreementCreateForm,
    AgreementLineForm,
    AgreementProgramForm,
    AgreementReviseForm,
    AnnualTargetForm,
    IndicatorForm,
    IndividualIndicatorForm,
    QuarterlyTargetCellForm,
)
from kinerja.planning.models import AgreementLine, IndividualIndicator, PerformanceAgreement

#: paper sizes of the printed PK: query value → (CSS @page size, label)
PAPER_SIZES = {"f4": ("215mm 330mm", "F4"), "a4": ("A4", "A4")}


def _scope(request: HttpRequest) -> UserScope:
    return request.scope  # type: ignore[attr-defined]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _agency_and_year(request: HttpRequest) -> tuple[Agency | None, int, list[Agency]]:
    """The `agency` (id) and `year` asked for, else the user's own agency and its working year."""
    agencies = list(agency_list(scope=_scope(request)).order_by("pk"))
    raw_agency = request.GET.get("agency", "").strip()
    agency: Agency | None = agencies[0] if agencies else None
    if raw_agency:
        agency = next(
            (a for a in agencies if raw_agency.isdigit() and a.pk == int(raw_agency)), None
        )
        if agency is None:
            raise NotFound("agency")
    raw_year = request.GET.get("year", "").strip()
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else None
    if year is None:
        year = selectors.working_year(scope=_scope(request), agencies=[agency] if agency else [])
    return agency, year, agencies


def _list_context(request: HttpRequest) -> dict[str, Any]:
    agency, year, agencies = _agency_and_year(request)
    years = set(selectors.plan_years(scope=_scope(request), agencies=[agency] if agency else []))
    this_year = timezone.localdate().year
    return {
        "agency": agency,
        "year": year,
        "agencies": agencies,
        "years": sorted(years | {year, this_year, this_year + 1}),
        "can_plan": agency is not None and _scope(request).can_plan_agency(agency),
    }


def _with_query(url: str, agency: Agency, year: int) -> str:
    return f"{url}?agency={agency.pk}&year={year}"


def _agreement_url(agreement: PerformanceAgreement) -> str:
    return reverse("planning:agreement_detail", args=[agreement.pk])


# ---------------------------------------------------------------- indicators


@login_required
@require_GET
@service_errors
def indicator_list(request: HttpRequest) -> HttpResponse:
    """GET ?agency=<id>&year=<yyyy>: the agency's indicators for the year, by objective."""
    context = _list_context(request)
    agency = context["agency"]
    context["indicators"] = (
        list(selectors.indicator_list(scope=_scope(request), agency=agency, year=context["year"]))
        if agency
        else []
    )
    return render(request, "planning/indicator_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def indicator_create(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    agency, year, _agencies = _agency_and_year(request)
    if agency is None:
        raise NotFound("agency")
    access_agency_for_planning(scope, agency)
    form = IndicatorForm(
        request.POST or None,
        objectives=selectors.objective_list(scope=scope, agency=agency, year=year),
        units=selectors.unit_list(scope=scope, agency=agency),
    )
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            indicator = services.indicator_create(actor=scope, data=form.data_for_service())
            messages.success(request, _("The indicator has been saved."))
            return redirect("planning:indicator_detail", indicator.pk)
    return render(
        request,
        "planning/indicator_form.html",
        {"form": form, "agency": agency, "indicator": None},
    )


@login_required
@require_GET
@service_errors
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_get(scope=_scope(request), indicator_id=indicator_id)
    return _indicator_detail(request, indicator, AnnualTargetForm())


def _indicator_detail(request: HttpRequest, indicator: Any, form: AnnualTargetForm) -> HttpResponse:
    agency = indicator.objective.plan.agency
    return render(
        request,
        "planning/indicator_detail.html",
        {
            "indicator": indicator,
            "agency": agency,
            "target_form": form,
            "can_plan": _scope(request).can_plan_agency(agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def indicator_update(request: HttpRequest, indicator_id: int) -> HttpResponse:
    scope = _scope(request)
    indicator = selectors.indicator_get(scope=scope, indicator_id=indicator_id)
    plan = indicator.objective.plan
    access_agency_for_planning(scope, plan.agency)
    form = IndicatorForm(
        request.POST or None,
        initial=model_to_dict(indicator, fields=IndicatorForm.FIELDS),
        objectives=selectors.objective_list(scope=scope, agency=plan.agency).filter(plan=plan),
        units=selectors.unit_list(scope=scope, agency=plan.agency),
    )
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            services.indicator_update(
                actor=scope, indicator=indicator, data=form.data_for_service()
            )
            messages.success(request, _("The indicator has been saved."))
            return redirect("planning:indicator_detail", indicator.pk)
    return render(
        request,
        "planning/indicator_form.html",
        {"form": form, "agency": plan.agency, "indicator": indicator},
    )


@login_required
@require_POST
@service_errors
def annual_target_set(request: HttpRequest, indicator_id: int) -> HttpResponse:
    scope = _scope(request)
    indicator = selectors.indicator_get(scope=scope, indicator_id=indicator_id)
    form = AnnualTargetForm(request.POST)
    if form.is_valid():
        with errors_to_form(form):
            services.annual_target_set(
                actor=scope, indicator=indicator, year=form.cleaned_data["year"], **form.target()
            )
            messages.success(request, _("The target has been saved."))
            return redirect("planning:indicator_detail", indicator.pk)
    return _indicator_detail(request, indicator, form)


# ---------------------------------------------------------------- Perjanjian Kinerja


@login_required
@require_GET
@service_errors
def agreement_list(request: HttpRequest) -> HttpResponse:
    """GET ?agency=<id>&year=<yyyy>: the newest version of every PK of the agency for the year."""
    context = _list_context(request)
    agency = context["agency"]
    context["agreements"] = (
        selectors.current_agreements(scope=_scope(request), agency=agency, year=context["year"])
        if agency
        else []
    )
    return render(request, "planning/agreement_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def agreement_create(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    agency, year, _agencies = _agency_and_year(request)
    if agency is None:
        raise NotFound("agency")
    access_agency_for_planning(scope, agency)
    form = AgreementCreateForm(
        request.POST or None,
        initial={"place": agency.government.capital, "effective_date": datetime.date(year, 1, 2)},
        positions=selectors.agreement_positions(scope=scope, agency=agency),
    )
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            agreement = services.agreement_create(
                actor=scope,
                position=form.cleaned_data["position"],
                year=year,
                effective_date=form.cleaned_data["effective_date"],
                place=form.cleaned_data["place"],
                external_party=form.external_party(),
            )
            messages.success(request, _("The performance agreement has been drafted."))
            return redirect(_agreement_url(agreement))
    return render(
        request, "planning/agreement_create.html", {"form": form, "agency": agency, "year": year}
    )


@login_required
@require_GET
@service_errors
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The PK with its lines, programmes, Rencana Aksi grid (inline editing) and versions."""
    scope = _scope(request)
    agreement = selectors.agreement_get(scope=scope, agreement_id=agreement_id)
    lines = selectors.agreement_lines(agreement=agreement)
    programs = selectors.agreement_programs(agreement=agreement)
    versions = selectors.agreement_versions(scope=scope, agreement=agreement)
    agency = agreement.position.agency
    is_draft = agreement.status == PerformanceAgreement.Status.DRAFT
    can_plan = scope.can_plan_agency(agency)
    return render(
        request,
        "planning/agreement_detail.html",
        {
            "agreement": agreement,
            "agency": agency,
            "rows": selectors.action_plan_rows(lines=lines),
            "programs": programs,
            "budget_total": sum((p.budget for p in programs), start=0),
            "versions": versions,
            "is_newest": versions[-1].pk == agreement.pk,
            "can_edit": is_draft and can_edit_position(scope, agreement.position),
            "can_sign": is_draft and can_plan,
            "can_revise": (
                can_plan
                and agreement.status == PerformanceAgreement.Status.SIGNED
                and versions[-1].pk == agreement.pk
            ),
            "quarters": QUARTER_NAMES.values(),
            "paper_sizes": PAPER_SIZES,
        },
    )


def _draft_for_edit(request: HttpRequest, agreement_id: int) -> PerformanceAgreement:
    agreement = selectors.agreement_get(scope=_scope(request), agreement_id=agreement_id)
    access_agreement_for_edit(_scope(request), agreement)
    return ensure_draft(agreement)


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def agreement_line_add(request: HttpRequest, agreement_id: int) -> HttpResponse:
    scope = _scope(request)
    agreement = _draft_for_edit(request, agreement_id)
    form = AgreementLineForm(
        request.POST or None,
        indicators=selectors.indicators_for_agreement(scope=scope, agreement=agreement),
    )
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            services.agreement_line_add(
                actor=scope,
                agreement=agreement,
                indicator=form.cleaned_data["indicator"],
                **form.target(),
            )
            messages.success(request, _("The indicator has been added."))
            return redirect(_agreement_url(agreement))
    return render(
        request,
        "planning/agreement_part_form.html",
        {"form": form, "agreement": agreement, "title": _("Add an indicator")},
    )


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def agreement_line_update(request: HttpRequest, line_id: int) -> HttpResponse:
    scope = _scope(request)
    line = selectors.agreement_line_get(scope=scope, line_id=line_id)
    agreement = _draft_for_edit(request, line.agreement_id)
    form = AgreementLineForm(
        request.POST or None,
        initial={
            "indicator": line.indicator,
            "value": line.value,
            "low": line.low,
            "high": line.high,
        },
        indicators=selectors.visible_indicators(scope=scope).filter(pk=line.indicator_id),
    )
    form.fields["indicator"].disabled = True
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            services.agreement_line_update(actor=scope, line=line, **form.target())
            messages.success(request, _("The target has been saved."))
            return redirect(_agreement_url(agreement))
    return render(
        request,
        "planning/agreement_part_form.html",
        {"form": form, "agreement": agreement, "title": _("Change the target")},
    )


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def agreement_program_add(request: HttpRequest, agreement_id: int) -> HttpResponse:
    scope = _scope(request)
    agreement = _draft_for_edit(request, agreement_id)
    form = AgreementProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            services.agreement_program_add(
                actor=scope,
                agreement=agreement,
                name=form.cleaned_data["name"],
                budget=form.cleaned_data["budget"],
            )
            messages.success(request, _("The programme has been added."))
            return redirect(_agreement_url(agreement))
    return render(
        request,
        "planning/agreement_part_form.html",
        {"form": form, "agreement": agreement, "title": _("Add a programme or activity")},
    )


@login_required
@require_POST
@service_errors
def agreement_sign(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """POST: mark the PK signed, or list every inconsistency of its Rencana Aksi."""
    scope = _scope(request)
    agreement = selectors.agreement_get(scope=scope, agreement_id=agreement_id)
    try:
        services.agreement_sign(actor=scope, agreement=agreement)
    except (ValidationFailed, Conflict) as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The performance agreement is signed."))
    return redirect(_agreement_url(agreement))


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def agreement_revise(request: HttpRequest, agreement_id: int) -> HttpResponse:
    scope = _scope(request)
    agreement = selectors.agreement_get(scope=scope, agreement_id=agreement_id)
    access_agency_for_planning(scope, agreement.position.agency)
    form = AgreementReviseForm(
        request.POST or None,
        initial=AgreementReviseForm.initial_for(services.ExternalParty.of(agreement)),
    )
    if agreement.position.superior_id is not None:
        form.drop_external_party()
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            revision = services.agreement_revise(
                actor=scope,
                agreement=agreement,
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
                external_party=form.external_party(),
            )
            messages.success(
                request,
                _("PK Perubahan drafted as version %(version)s.") % {"version": revision.version},
            )
            return redirect(_agreement_url(revision))
    return render(
        request,
        "planning/agreement_part_form.html",
        {"form": form, "agreement": agreement, "title": _("Make a PK Perubahan")},
    )


def _paper(request: HttpRequest) -> str:
    paper = request.GET.get("paper", "f4").lower()
    if paper not in PAPER_SIZES:
        raise Http404("paper")
    return paper


def _print_html(request: HttpRequest, agreement_id: int, *, for_pdf: bool) -> tuple[str, Any]:
    """The PK document (always Indonesian: it is an official document) and the agreement."""
    agreement = selectors.agreement_get(scope=_scope(request), agreement_id=agreement_id)
    paper = _paper(request)
    lines = selectors.agreement_lines(agreement=agreement)
    groups: dict[int, tuple[Any, list[AgreementLine]]] = {}
    for line in lines:
        groups.setdefault(line.objective_id, (line.objective, []))[1].append(line)
    programs = selectors.agreement_programs(agreement=agreement)
    with translation.override("id"):
        html = render_to_string(
            "planning/agreement_print.html",
            {
                "agreement": agreement,
                "agency": agreement.position.agency,
                "objective_groups": list(groups.values()),
                "programs": programs,
                "budget_total": sum((p.budget for p in programs), start=0),
                "page_size": PAPER_SIZES[paper][0],
                "paper": paper,
                "paper_sizes": PAPER_SIZES,
                "for_pdf": for_pdf,
            },
            request=request,
        )
    return html, agreement


@login_required
@require_GET
@service_errors
def agreement_print(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """GET ?paper=f4|a4: the PK document for the browser's print dialog."""
    html, _agreement = _print_html(request, agreement_id, for_pdf=False)
    return HttpResponse(html)


@login_required
@require_GET
@service_errors
def agreement_pdf(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """GET ?paper=f4|a4: the PK document as PDF (WeasyPrint; local fonts, nothing fetched)."""
    import weasyprint  # slow to import; only this page needs it

    html, agreement = _print_html(request, agreement_id, for_pdf=True)
    pdf = weasyprint.HTML(
        string=html,
        base_url=request.build_absolute_uri("/"),
        # Offices may have no internet and the document needs nothing from outside.
        url_fetcher=weasyprint.URLFetcher(allowed_protocols={"data"}),
    ).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"PK-{agreement.year}-{agreement.position.code}-v{agreement.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- Rencana Aksi


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def quarterly_target_cell(request: HttpRequest, line_id: int, quarter: int) -> HttpResponse:
    """GET: the cell as an input (htmx). POST: save it; htmx gets the line's row back.

    The row shows the saved values the Indonesian way, the cell's error (with
    what the user typed) or a concurrent-edit conflict, and the line's
    consistency problems.
    """
    scope = _scope(request)
    if quarter not in QUARTER_NAMES:
        raise Http404("quarter")
    line = selectors.agreement_line_get(scope=scope, line_id=line_id)
    access_agreement_for_edit(scope, line.agreement)
    ensure_draft(line.agreement)
    if request.method == "GET":
        row = selectors.action_plan_rows(lines=[line])[0]
        cell = row.cells[quarter - 1]
        cell.form = QuarterlyTargetCellForm(initial=_cell_initial(cell))
        return _render_row_part(request, "ra-cell", line.agreement, row, cell)
    form = QuarterlyTargetCellForm(request.POST)
    saved, conflict = False, None
    if form.is_valid():
        try:
            services.quarterly_target_set(
                actor=scope,
                line=line,
                quarter=quarter,
                seen=form.cleaned_data["seen"],
                **form.target(),
            )
            saved = True
        except Conflict as exc:
            conflict = exc
        except ValidationFailed as exc:
            add_errors_to_form(form, exc)
    line = selectors.agreement_line_get(scope=scope, line_id=line_id)
    row = selectors.action_plan_rows(lines=[line])[0]
    cell = row.cells[quarter - 1]
    if conflict is not None:
        # Keep what the user typed, but against the value someone else saved meanwhile.
        data = request.POST.copy()
        for name, text in _seen_fields(cell).items():
            data[name] = text
        form = QuarterlyTargetCellForm(data)
        form.is_valid()
        add_errors_to_form(form, conflict)
    if not _is_htmx(request):
        if saved:
            messages.success(request, _("The target has been saved."))
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_agreement_url(line.agreement))
    cell.form = None if saved else form
    return _render_row_part(request, "ra-row", line.agreement, row, None)


def _seen_fields(cell: selectors.ActionPlanCell) -> dict[str, str]:
    return {f"seen_{name}": text for name, text in cell.seen.items()}


def _cell_initial(cell: selectors.ActionPlanCell) -> dict[str, Any]:
    target = cell.target
    values = {name: getattr(target, name) if target else None for name in ("value", "low", "high")}
    return values | _seen_fields(cell)


def _render_row_part(
    request: HttpRequest,
    part: str,
    agreement: PerformanceAgreement,
    row: selectors.ActionPlanRow,
    cell: selectors.ActionPlanCell | None,
) -> HttpResponse:
    return render(
        request,
        f"planning/agreement_detail.html#{part}",
        {"agreement": agreement, "row": row, "cell": cell, "can_edit": True},
    )


# ---------------------------------------------------------------- IKI


@login_required
@require_GET
@service_errors
def individual_indicator_list(request: HttpRequest) -> HttpResponse:
    """GET ?agency=<id>&year=<yyyy>: the agency's IKI for the year."""
    context = _list_context(request)
    agency = context["agency"]
    scope = _scope(request)
    ikis = (
        list(selectors.individual_indicator_list(scope=scope, agency=agency, year=context["year"]))
        if agency
        else []
    )
    context["ikis"] = [(iki, can_edit_position(scope, iki.position)) for iki in ikis]
    context["can_create"] = agency is not None and can_draft_individual_indicators(scope, agency)
    return render(request, "planning/individual_indicator_list.html", context)


def _iki_form(
    request: HttpRequest, agency: Agency, year: int, **kwargs: Any
) -> IndividualIndicatorForm:
    scope = _scope(request)
    return IndividualIndicatorForm(
        request.POST or None,
        assignments=selectors.assignments_in_year(scope=scope, agency=agency, year=year),
        lines=selectors.cascade_lines(scope=scope, agency=agency, year=year),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def individual_indicator_create(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    agency, year, _agencies = _agency_and_year(request)
    if agency is None:
        raise NotFound("agency")
    access_individual_indicators_for_edit(scope, agency)
    form = _iki_form(request, agency, year)
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            services.individual_indicator_create(actor=scope, data=form.data_for_service())
            messages.success(request, _("The individual indicator has been saved."))
            return redirect(
                _with_query(reverse("planning:individual_indicator_list"), agency, year)
            )
    return render(
        request,
        "planning/individual_indicator_form.html",
        {"form": form, "agency": agency, "year": year, "iki": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
@service_errors
def individual_indicator_update(request: HttpRequest, individual_indicator_id: int) -> HttpResponse:
    scope = _scope(request)
    iki: IndividualIndicator = selectors.individual_indicator_get(
        scope=scope, individual_indicator_id=individual_indicator_id
    )
    access_position_for_edit(scope, iki.position)
    agency = iki.position.agency
    assignment = selectors.individual_indicator_assignment(individual_indicator=iki)
    form = _iki_form(
        request, agency, iki.year, initial=IndividualIndicatorForm.initial_for(iki, assignment)
    )
    if request.method == "POST" and form.is_valid():
        with errors_to_form(form):
            services.individual_indicator_update(
                actor=scope, individual_indicator=iki, data=form.data_for_service()
            )
            messages.success(request, _("The individual indicator has been saved."))
            return redirect(
                _with_query(reverse("planning:individual_indicator_list"), agency, iki.year)
            )
    return render(
        request,
        "planning/individual_indicator_form.html",
        {"form": form, "agency": agency, "year": iki.year, "iki": iki},
    )
