"""Settings of a benchmark run: the test settings on a throwaway SQLite file.

Never the dev database: the file is `KINERJA_BENCH_DB` when set (`bench.run`
refuses a file that exists already), else a new file in a temporary folder;
`DATABASE_URL` is ignored on purpose. `bench.run` migrates it first. SQLite is
opened as the app opens it (WAL, immediate transactions).
"""

import os
import tempfile
from pathlib import Path

from kinerja.config.settings.test import *  # noqa: F403

BENCH_DB = Path(
    os.environ.get("KINERJA_BENCH_DB")
    or Path(tempfile.mkdtemp(prefix="kinerja-bench-")) / "bench.sqlite3"
)
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BENCH_DB),
        "ATOMIC_REQUESTS": False,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
