"""The `kinerja` console script: Django's management commands plus the project's own."""

import os
import sys


def main() -> None:
    """Run a management command with the development settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kinerja", *sys.argv[1:]])


if __name__ == "__main__":
    main()
