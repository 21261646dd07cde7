"""Writes of the recap: generate it (PDF and workbook stored as documents) and send it to
the Perangkat Daerah Terkait with a generated Surat Pengantar.

Both follow the collection's SOP when it has one: the recap becomes the output
document of the open step the actor works on whose outputs name the
"Rekapitulasi Data Kinerja", and the letter that of the step naming the
"Surat Pengantar" (seed 004's steps 12–17 and 21–23). Without such a step the
documents are simply stored in the agency's documents. While the process runs,
the letter is sent by whoever holds its letter step (`_letter_task`).
"""

from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kinerja.collection.chain import REVIEWER_ROLES
from kinerja.collection.models import Collection, Recap, Worksheet
from kinerja.collection.recap import RecapTable, agency_head, recap_build
from kinerja.collection.recap_export import recap_pdf, recap_title, recap_xlsx
from kinerja.core.errors import AccessDenied, Conflict, ValidationFailed
from kinerja.core.services import change_record_create
from kinerja.documents.access import can_write_documents
from kinerja.documents.models import Document, DocumentKind
from kinerja.documents.services import document_generate, document_upload
from kinerja.organizations.access import UserScope
from kinerja.organizations.models import Agency, RoleKey
from kinerja.workflow.domain.definition import SopDefinition, Step
from kinerja.workflow.models import ProcessInstance, Task
from kinerja.workflow.selectors import sop_definition, task_can_complete
from kinerja.workflow.services import task_output_attach, task_output_generate

#: an SOP output naming the recap itself (not a letter about it)
RECAP_OUTPUT = "rekapitulasi data kinerja"
#: an SOP output naming the covering letter
LETTER_OUTPUT = "surat pengantar"
#: who may send a final recap, besides the agency's planners
SENDER_ROLES = frozenset({RoleKey.KEPALA_DINAS, RoleKey.SEKRETARIS, RoleKey.KASUBBAG_PROGRAM})


def _roles(scope: UserScope, agency: Agency) -> frozenset[str]:
    return scope.roles_by_agency.get(agency.pk, frozenset())


def can_generate_recap(scope: UserScope, agency: Agency) -> bool:
    """The agency's planners and reviewers (who also store its documents)."""
    return can_write_documents(scope, agency) and (
        scope.can_plan_agency(agency) or bool(_roles(scope, agency) & REVIEWER_ROLES)
    )


def can_send_recap(scope: UserScope, agency: Agency) -> bool:
    """The Kepala Dinas, the Sekretaris, the Kasubbag Program and the agency's planners."""
    return can_write_documents(scope, agency) and (
        scope.can_plan_agency(agency) or bool(_roles(scope, agency) & SENDER_ROLES)
    )


def _words(name: str) -> str:
    return " ".join(name.lower().split())


def is_recap_output(name: str) -> bool:
    words = _words(name)
    return RECAP_OUTPUT in words and "surat" not in words


def is_letter_output(name: str) -> bool:
    """The signed Surat Pengantar, not its draft (seed 004 step 18 "Rancangan Surat …")."""
    words = _words(name)
    return LETTER_OUTPUT in words and "rancangan" not in words


def sop_output_for(
    *, actor: UserScope, process: ProcessInstance | None, fits: Callable[[str], bool]
) -> tuple[Task, str] | None:
    """The actor's open task of the process (lowest step first) and the name of the
    first output of its step that `fits`; None when no task fits."""
    if process is None:
        return None
    definition = sop_definition(process.sop)
    tasks = (
        Task.objects.filter(instance=process, status=Task.Status.OPEN)
        .select_related("instance__agency__government", "instance__sop", "position", "assignee")
        .order_by("step_number", "pk")
    )
    for task in tasks:
        if not task_can_complete(scope=actor, task=task):
            continue
        name = next((n for n in definition.step(task.step_number).outputs if fits(n)), None)
        if name is not None:
            return task, name
    return None


def _file_stem(title: str, table: RecapTable, number: int) -> str:
    return slugify(f"{title} {table.agency.short_name} {number}")


def _require_unchanged(table: RecapTable) -> None:
    """The worksheets are as the files show them (a change meanwhile: Conflict)."""
    built = {unit.worksheet_id: unit.revision for unit in table.units}
    now = dict(Worksheet.objects.filter(collection=table.collection).values_list("pk", "revision"))
    if now != built:
        raise Conflict(_("The data changed while the recap was being made; generate it again."))


def recap_generate(*, actor: UserScope, collection: Collection) -> Recap:
    """Build the recap, render its PDF and workbook, store both as documents of the agency
    and record them as the collection's next `Recap` (final when every worksheet is
    approved). When the actor works on an open SOP step producing the "Rekapitulasi Data
    Kinerja", both documents become that step's outputs.
    """
    agency = collection.agency
    if not can_generate_recap(actor, agency):
        raise AccessDenied(_("Only the agency's planners or reviewers may generate the recap."))
    table = recap_build(scope=actor, collection=collection)
    if not table.units:
        raise ValidationFailed(_("This data collection has no worksheets to recap."))
    pdf = recap_pdf(table, signatory=agency_head(agency=agency))
    workbook = recap_xlsx(table)
    with translation.override("id"):
        title, subject = recap_title(table), str(collection)
    with transaction.atomic():
        locked = Collection.objects.select_for_update().get(pk=collection.pk)
        _require_unchanged(table)
        number = (locked.recaps.aggregate(last=Max("number"))["last"] or 0) + 1
        stem = _file_stem(title, table, number)
        documents = {
            extension: document_upload(
                actor=actor,
                agency=agency,
                kind=DocumentKind.OTHER,
                title=f"{title} ({number})",
                uploaded=ContentFile(content, name=f"{stem}.{extension}"),
                subject=subject,
                held_by_record=True,
            )
            for extension, content in (("pdf", pdf), ("xlsx", workbook))
        }
        recap = Recap.objects.create(
            collection=locked,
            number=number,
            is_final=table.is_final,
            pdf=documents["pdf"],
            workbook=documents["xlsx"],
            generated_by_id=actor.user_id,
        )
        change_record_create(
            instance=recap,
            action="generate",
            user_id=actor.user_id,
            changes={
                "number": (None, number),
                "is_final": (None, recap.is_final),
                "pdf": (None, recap.pdf_id),
                "workbook": (None, recap.workbook_id),
            },
        )
        fitting = sop_output_for(actor=actor, process=collection.process, fits=is_recap_output)
        if fitting is not None:
            task, output_name = fitting
            for document in documents.values():
                task_output_attach(
                    actor=actor, task=task, document=document, output_name=output_name
                )
    return recap


# --- send -----------------------------------------------------------------------------------


def cover_letter_fields(recap: Recap) -> dict[str, str]:
    """The Surat Pengantar's fields (in Indonesian): to the government's coordinating
    agencies, from the Kepala Dinas, with the recap attached."""
    collection = recap.collection
    agency = collection.agency
    government = agency.government
    addressees = (
        Agency.objects.filter(government=government, is_coordinating=True, archived_at__isnull=True)
        .exclude(pk=agency.pk)
        .order_by("name")
        .values_list("name", flat=True)
    )
    head = agency_head(agency=agency)
    with translation.override("id"):
        names = {
            "period": str(collection.get_period_display()),
            "year": collection.year,
            "agency": agency.name,
        }
        fields = {
            "tanggal": timezone.localdate(timezone=ZoneInfo(government.time_zone)).isoformat(),
            "sifat": _("Ordinary"),
            "lampiran": _("1 (one) set: Performance data recap %(period)s %(year)s") % names,
            "perihal": _("Submission of the performance data recap %(period)s %(year)s") % names,
            "kepada": "\n".join(addressees),
            "isi": _(
                "With respect, we hereby submit the performance data recap of %(agency)s "
                "for %(period)s %(year)s, as attached.\n\nThank you for your attention."
            )
            % names,
        }
    if head is not None:
        fields |= {
            "penandatangan_jabatan": head.title,
            "penandatangan_nama": head.name,
            "penandatangan_nip": head.nip,
        }
    return fields


def _require_letter_fields(values: Mapping[str, str]) -> None:
    if not values.get("kepada", "").strip():
        raise ValidationFailed(
            {
                "kepada": [
                    _(
                        "This government has no coordinating agency (BAPPEDA, Biro Organisasi) "
                        "to send the recap to."
                    )
                ]
            }
        )
    if not values.get("penandatangan_nama", "").strip():
        raise ValidationFailed(
            {
                "penandatangan_nama": [
                    _("The agency has no Kepala Dinas today to sign the covering letter.")
                ]
            }
        )


def letter_step(definition: SopDefinition) -> Step | None:
    """The first step of the SOP whose outputs name the (signed) Surat Pengantar."""
    return min(
        (step for step in definition.steps if any(map(is_letter_output, step.outputs))),
        key=lambda step: step.number,
        default=None,
    )


def _passed(process: ProcessInstance, number: int) -> bool:
    """The process did step `number` and has no open work at or before it."""
    tasks = Task.objects.filter(instance=process)
    return (
        tasks.filter(step_number=number, status=Task.Status.DONE).exists()
        and not tasks.filter(step_number__lte=number, status=Task.Status.OPEN).exists()
    )


def _letter_task(actor: UserScope, collection: Collection) -> tuple[Task, str] | None:
    """The actor's open SOP task whose step outputs the Surat Pengantar, with the output's name.

    While the collection's process runs, only that step's holder sends the letter
    (ValidationFailed naming the step otherwise), unless the process has already
    passed the step or has none: then, as without a process, None.
    """
    process = collection.process
    if process is None or process.status != ProcessInstance.Status.RUNNING:
        return None
    fitting = sop_output_for(actor=actor, process=process, fits=is_letter_output)
    if fitting is not None:
        return fitting
    definition = sop_definition(process.sop)
    step = letter_step(definition)
    if step is None or _passed(process, step.number):
        return None
    raise ValidationFailed(
        _("The covering letter is sent at step %(number)s of the SOP by %(actor)s.")
        % {"number": step.number, "actor": definition.actor(step.actor).label}
    )


def _letter(
    actor: UserScope, recap: Recap, values: Mapping[str, str], fitting: tuple[Task, str] | None
) -> Document:
    """The generated Surat Pengantar: the output of the actor's SOP step (`_letter_task`)."""
    collection = recap.collection
    if fitting is not None:
        task, output_name = fitting
        return task_output_generate(
            actor=actor, task=task, output_name=output_name, kind=DocumentKind.SURAT, fields=values
        ).document
    return document_generate(
        actor=actor,
        agency=collection.agency,
        kind=DocumentKind.SURAT,
        title=values["perihal"][:250],
        fields=values,
        number=True,
        subject=str(collection),
    )


def _require_current(recap: Recap) -> None:
    """The recap still shows the data: every worksheet approved and none changed since it
    was generated (the collection reopened, a worksheet corrected and approved again)."""
    if (
        Worksheet.objects.filter(collection_id=recap.collection_id)
        .filter(~Q(status=Worksheet.Status.APPROVED) | Q(updated_at__gt=recap.created_at))
        .exists()
    ):
        raise ValidationFailed(
            _(
                "The data changed after this recap was generated: generate the recap again "
                "once every worksheet is approved, and send that one."
            )
        )


def recap_send(*, actor: UserScope, recap: Recap, fields: Mapping[str, str] | None = None) -> Recap:
    """Send a final recap to the Perangkat Daerah Terkait: generate its Surat Pengantar
    (from the Kepala Dinas to the government's coordinating agencies; `fields` override
    the letter's fields) and mark the recap sent, after which the coordinating agencies
    see it. Only the newest recap of the collection, only once (Conflict), only while
    the data is as it was generated (`_require_current`), and, while the SOP process
    runs, only by the holder of its letter step (`_letter_task`).
    """
    recap = Recap.objects.select_related(
        "collection__agency__government", "collection__process__sop"
    ).get(pk=recap.pk)
    if not can_send_recap(actor, recap.collection.agency):
        raise AccessDenied(
            _(
                "Only the Kepala Dinas, the Sekretaris, the Kasubbag Program or the agency's "
                "planners may send the recap."
            )
        )
    if not recap.is_final:
        raise ValidationFailed(
            _(
                "Only a final recap can be sent: generate the recap again once every worksheet "
                "is approved."
            )
        )
    fitting = _letter_task(actor, recap.collection)
    values = cover_letter_fields(recap) | dict(fields or {})
    _require_letter_fields(values)
    with transaction.atomic():
        locked = Recap.objects.select_for_update().get(pk=recap.pk)
        if locked.sent_at is not None:
            raise Conflict(_("This recap has already been sent."))
        if Recap.objects.filter(
            collection_id=locked.collection_id, number__gt=locked.number
        ).exists():
            raise ValidationFailed(
                _("A newer recap of this data collection exists; send that one.")
            )
        _require_current(locked)
        letter = _letter(actor, recap, values, fitting)
        locked.cover_letter = letter
        locked.sent_at = timezone.now()
        locked.sent_by_id = actor.user_id
        locked.save(update_fields=["cover_letter", "sent_at", "sent_by", "updated_at"])
        change_record_create(
            instance=locked,
            action="send",
            user_id=actor.user_id,
            changes={"cover_letter": (None, letter.pk), "sent_at": (None, locked.sent_at)},
        )
    locked.collection = recap.collection
    return locked
