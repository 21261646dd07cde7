"""The `kinerja` console script: Django's management commands plus the project's own."""

import os
import sys


def main() -> None:
    """Run a management command with the development settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.config.settings.dev")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        # Our commands are spelled with hyphens (`kinerja import-planning`);
        # Django's modules use underscores.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["kinerja", *args])


if __name__ == "__main__":
    main()
