"""The one place where service errors (`kinerja.core.errors`) become responses.

Tools for every app's views:

- `service_errors`, a view decorator: `NotFound` → 404 (existence is not
  revealed), `AccessDenied` → 403 with the service's message, and a
  `ValidationFailed`/`Conflict` the view did not handle itself → the message
  as an error and a redirect back to the page the user came from (for an htmx
  request: the message as the response body, status 422/409).
- `error_messages(request, error)`: every message of an error as a Django
  message, for views that redirect after a failed action.
- `errors_to_form(form)`, a context manager: a `ValidationFailed` or `Conflict`
  raised inside it becomes the form's errors (a message keyed by a form field
  goes to that field, anything else to the non-field errors) and is swallowed,
  so the view simply falls through to re-render the form::

      if form.is_valid():
          with errors_to_form(form):
              thing = thing_create(actor=request.scope, **form.cleaned_data)
              return redirect(thing)
      return render(request, "app/thing_form.html", {"form": form})
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from kinerja.core.errors import AccessDenied, Conflict, KinerjaError, NotFound, ValidationFailed

View = Callable[..., HttpResponse]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """403 that says why (the object is in scope, the action is not allowed)."""
    if _is_htmx(request):
        return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
    return render(request, "core/access_denied.html", {"message": message}, status=403)


def _texts(error: KinerjaError) -> list[str]:
    if isinstance(error, ValidationFailed):
        return [text for texts in error.errors.values() for text in texts]
    return [error.message]


def error_messages(request: HttpRequest, error: KinerjaError) -> None:
    """Queue every message of a service error for the next page (one message each)."""
    for text in _texts(error):
        messages.error(request, text)


def back_with_error(
    request: HttpRequest, error: KinerjaError, *, status: int = 422
) -> HttpResponse:
    """Show the error on the page the user came from (htmx: the message itself, `status`)."""
    if _is_htmx(request):
        return HttpResponse(
            "\n".join(_texts(error)), status=status, content_type="text/plain; charset=utf-8"
        )
    error_messages(request, error)
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(referer)
    return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))


def service_errors(view: View) -> View:
    """Map the service error hierarchy to responses for a whole view."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except AccessDenied as exc:
            return forbidden(request, exc.message)
        except Conflict as exc:
            return back_with_error(request, exc, status=409)
        except ValidationFailed as exc:
            return back_with_error(request, exc)

    return wrapper


def add_errors_to_form(form: forms.BaseForm, error: ValidationFailed | Conflict) -> None:
    """Attach a service's messages to the form fields they name (others: non-field errors)."""
    if isinstance(error, Conflict):
        form.add_error(None, error.message)
        return
    for key, field_messages in error.errors.items():
        field = key if key in form.fields else None
        for message in field_messages:
            form.add_error(field, message)


@contextmanager
def errors_to_form(form: forms.BaseForm) -> Iterator[None]:
    """Catch ValidationFailed/Conflict inside the block and put them on `form`."""
    try:
        yield
    except (ValidationFailed, Conflict) as exc:
        add_errors_to_form(form, exc)
