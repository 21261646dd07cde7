"""The demo's SOPs: every shipped definition imported into the agency it names."""

from django.db import transaction

from kinerja.sops import definition_paths
from kinerja.workflow.models import SopVersion
from kinerja.workflow.services import sop_import


def load_demo_sops() -> list[SopVersion]:
    """Import `kinerja/sops/*.yaml` (after the demo agencies exist); idempotent.

    An unchanged file adds no version, so a second run changes nothing.
    """
    with transaction.atomic():
        return [
            sop_import(actor=None, text=path.read_text(encoding="utf-8"))
            for path in definition_paths()
        ]
