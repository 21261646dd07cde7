"""`kinerja sop validate|import|list|export|render`: SOP definitions from the command line.

    kinerja sop validate FILE
    kinerja sop import FILE [--agency CODE]
    kinerja sop list [--agency CODE]
    kinerja sop export CODE [--agency CODE] [--version N] [--format json|yaml] [--output FILE]
    kinerja sop render CODE [--agency CODE] [--version N] [--format pdf|html|docx]
                            [--paper f4|a4] [--output FILE]

CODE is the SOP's code; `--agency` is needed only when several agencies have
an SOP with that code. A refused file prints every problem with its path
("steps[3].no: …") and exits with status 1.
"""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kinerja.core.errors import KinerjaError, ValidationFailed
from kinerja.organizations.models import Agency
from kinerja.workflow.definitions import SopInvalid, validate_sop
from kinerja.workflow.models import SopVersion
from kinerja.workflow.rendering import render_sop_docx, render_sop_html, render_sop_pdf
from kinerja.workflow.selectors import sop_definition
from kinerja.workflow.services import sop_import

RENDERERS: dict[str, Callable[..., str | bytes]] = {
    "pdf": render_sop_pdf,
    "html": render_sop_html,
    "docx": render_sop_docx,
}


class Command(BaseCommand):
    help = "Validate, import, list, export and render SOP definitions."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        validate = commands.add_parser("validate", help="Check a definition file; change nothing.")
        validate.add_argument("file")
        load = commands.add_parser("import", help="Import a definition as the SOP's next version.")
        load.add_argument("file")
        load.add_argument("--agency", help="Agency code; must match the file's `agency`.")
        listing = commands.add_parser("list", help="List the SOPs and their latest versions.")
        listing.add_argument("--agency", help="Only this agency (code).")
        export = commands.add_parser("export", help="Write a version as JSON or YAML.")
        self._version_arguments(export)
        export.add_argument("--format", choices=("json", "yaml"), default="yaml")
        export.add_argument("--output", help="File to write (default: standard output).")
        render = commands.add_parser("render", help="Render the official SOP document.")
        self._version_arguments(render)
        render.add_argument("--format", choices=tuple(RENDERERS), default="pdf")
        render.add_argument("--paper", choices=("f4", "a4"), default="f4")
        render.add_argument(
            "--output", help="File to write (default: <agency>--<code>-v<n>.<ext>)."
        )

    @staticmethod
    def _version_arguments(parser: CommandParser) -> None:
        parser.add_argument("code")
        parser.add_argument("--agency", help="Agency code, when several agencies have this SOP.")
        parser.add_argument("--version", type=int, help="Version number (default: the latest).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _validate(self, *, file: str, **options: Any) -> None:
        problems = validate_sop(_read(file))
        if problems:
            raise CommandError("\n".join(str(problem) for problem in problems), returncode=1)
        self.stdout.write(_("%(file)s is a valid SOP definition.") % {"file": file})

    def _import(self, *, file: str, agency: str | None = None, **options: Any) -> None:
        target = _agency(agency) if agency else None
        newest = SopVersion.objects.aggregate(newest=Max("pk"))["newest"] or 0
        try:
            version = sop_import(actor=None, text=_read(file), agency=target)
        except SopInvalid as exc:
            raise CommandError("\n".join(str(p) for p in exc.problems), returncode=1) from exc
        except KinerjaError as exc:
            raise CommandError(_messages(exc), returncode=1) from exc
        names = {"code": version.code, "version": version.version, "agency": version.agency.code}
        if version.pk > newest:
            self.stdout.write(_("Imported %(agency)s/%(code)s version %(version)s.") % names)
        else:
            self.stdout.write(
                _("Unchanged: %(agency)s/%(code)s version %(version)s has the same text.") % names
            )

    def _list(self, *, agency: str | None = None, **options: Any) -> None:
        versions = SopVersion.objects.select_related("agency").order_by(
            "agency__code", "code", "-version"
        )
        if agency:
            versions = versions.filter(agency=_agency(agency))
        seen: set[tuple[int, str]] = set()
        rows = []
        for version in versions:
            if (version.agency_id, version.code) in seen:
                continue
            seen.add((version.agency_id, version.code))
            data = version.data
            rows.append(
                (
                    version.agency.code,
                    version.code,
                    f"v{version.version}",
                    str(len(data.get("steps", []))),
                    str(data.get("total_working_minutes", "")),
                    version.name,
                )
            )
        if not rows:
            self.stdout.write(_("No SOPs have been imported yet."))
            return
        header = (
            _("Agency"),
            _("Code"),
            _("Version"),
            pgettext("sop", "Steps"),
            _("Minutes"),
            _("Name"),
        )
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row[:5], widths, strict=True)]
            self.stdout.write("  ".join([*cells, row[5]]))

    def _export(self, *, format: str, output: str | None = None, **options: Any) -> None:
        data = _version(**options).data
        if format == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(_("Written to %(file)s.") % {"file": output})
        else:
            self.stdout.write(text, ending="")

    def _render(
        self, *, format: str, paper: str, output: str | None = None, **options: Any
    ) -> None:
        version = _version(**options)
        rendered = RENDERERS[format](sop_definition(version), paper=paper)
        content = rendered.encode() if isinstance(rendered, str) else rendered
        path = Path(output or f"{version.agency.code}--{version.code}-v{version.version}.{format}")
        path.write_bytes(content)
        self.stdout.write(_("Written to %(file)s.") % {"file": path})


def _read(file: str) -> str:
    try:
        if file == "-":
            return sys.stdin.read()
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        message = _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
        raise CommandError(message, returncode=1) from exc


def _messages(error: KinerjaError) -> str:
    if isinstance(error, ValidationFailed):
        return "\n".join(
            f"{key}: {message}" if key != "__all__" else message
            for key, messages in error.errors.items()
            for message in messages
        )
    return error.message


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise CommandError(_("There is no agency with the code “%(code)s”.") % {"code": code})
    return agency


def _version(
    *, code: str, agency: str | None = None, version: int | None = None, **options: Any
) -> SopVersion:
    versions = SopVersion.objects.select_related("agency").filter(code=code)
    if agency:
        versions = versions.filter(agency=_agency(agency))
    agencies = set(versions.values_list("agency__code", flat=True))
    if len(agencies) > 1:
        raise CommandError(
            _("Several agencies have the SOP “%(code)s” (%(agencies)s); choose one with --agency.")
            % {"code": code, "agencies": ", ".join(sorted(agencies))}
        )
    found = (
        versions.filter(version=version).first()
        if version is not None
        else versions.order_by("-version").first()
    )
    if found is None:
        raise CommandError(_("There is no such SOP version."))
    return found
