"""`kinerja audit verify`: check the hash chain of every process's workflow log.

Prints "OK: n events in m processes" when every chain holds; otherwise names
the first broken link (process, event sequence, what is wrong) and exits with
status 1.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.workflow.events import chain_verify
from kinerja.workflow.models import WorkflowEvent

REASONS = {
    "missing event before this one": gettext_lazy("an event before this one is missing"),
    "link to the previous event broken": gettext_lazy("the link to the previous event is broken"),
    "content altered": gettext_lazy("its content was altered"),
}


class Command(BaseCommand):
    help = "Verify the hash-chained workflow event log."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="Check every process's chain of events.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        broken = chain_verify()
        if broken is not None:
            raise CommandError(
                _("Broken link: process %(process)s, event %(sequence)s: %(reason)s.")
                % {
                    "process": broken.instance_id,
                    "sequence": broken.sequence,
                    "reason": REASONS.get(broken.reason, broken.reason),
                },
                returncode=1,
            )
        totals = WorkflowEvent.objects.aggregate(
            events=Count("pk"), processes=Count("instance", distinct=True)
        )
        self.stdout.write(
            _("OK: %(events)s events in %(processes)s processes.")
            % {"events": totals["events"], "processes": totals["processes"]}
        )
