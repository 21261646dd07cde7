"""REST API v1 (django-ninja); the OpenAPI document is at /api/v1/openapi.json.

Read-only. Every endpoint needs a session or a bearer token (401 otherwise) and
reads through the same scoped selectors as the pages: anything outside the
caller's scope is a 404. Errors are JSON `{"detail": …, "errors": {field: […]}}`
in the request's language; this module is the one place that turns
`kinerja.core.errors` into API responses.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from kinerja.api import achievement, agencies, collection, indicators
from kinerja.api.auth import api_auth
from kinerja.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed

api = NinjaAPI(
    title="Kinerja API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Read-only access to agencies, indicators with their targets, achievement, and the "
        "quarterly data collection (worksheets, values with their versions, the recap)."
    ),
    auth=api_auth,
    # The interactive docs would load Swagger UI from a CDN unless "ninja" is an
    # installed app; offices on closed networks get the OpenAPI document only.
    docs_url=None,
)
api.add_router("/agencies", agencies.router)
api.add_router("/agencies", indicators.router)
api.add_router("/agencies", achievement.router)
api.add_router("", collection.router)


def _not_found(request: HttpRequest) -> HttpResponse:
    # The same answer for "does not exist" and "not yours": existence is not revealed.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _not_found(request)


@api.exception_handler(AccessDenied)
def access_denied(request: HttpRequest, exc: AccessDenied) -> HttpResponse:
    return _not_found(request)


@api.exception_handler(Http404)
def http_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _not_found(request)


@api.exception_handler(ValidationFailed)
def validation_failed(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "errors": exc.errors}, status=422)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Parameters that do not even parse (year=abc): which ones, in the user's language."""
    fields = sorted({str(error["loc"][-1]) for error in exc.errors if error.get("loc")})
    return api.create_response(
        request,
        {
            "detail": _("Some parameters are invalid: %(fields)s.") % {"fields": ", ".join(fields)},
            "errors": {field: [_("This value is not valid.")] for field in fields},
        },
        status=422,
    )


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=409)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": _("Log in or send an API token (Authorization: Bearer <token>).")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response
