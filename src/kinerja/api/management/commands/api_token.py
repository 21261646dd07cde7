"""`kinerja api-token create USERNAME NAME` prints a key once; `revoke USERNAME NAME` ends it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.api.services import api_token_create, api_token_revoke
from kinerja.core.errors import KinerjaError


class Command(BaseCommand):
    help = "Create or revoke REST API tokens (Authorization: Bearer <key>)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a token; the key is printed only once.")
        create.add_argument("username")
        create.add_argument("name", help="What the token is for, e.g. 'dashboard-bappeda'.")
        revoke = actions.add_parser(
            "revoke", help="Revoke the user's active tokens with this name."
        )
        revoke.add_argument("username")
        revoke.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                issued = api_token_create(username=options["username"], name=options["name"])
                self.stderr.write(
                    f"Token '{issued.token.name}' for {issued.token.user.username} "
                    "(store the key now; it cannot be shown again):"
                )
                self.stdout.write(issued.key)
            else:
                count = api_token_revoke(username=options["username"], name=options["name"])
                self.stdout.write(f"Revoked {count} token(s).")
        except KinerjaError as exc:
            raise CommandError(exc.message) from exc
