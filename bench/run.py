"""Run the benchmarks on a throwaway SQLite database and print their figures.

    .venv/bin/python -m bench.run [import|recap|progress ...] [--scale 1 10] [--seed 2025]

Always uses `bench.settings` (whatever DJANGO_SETTINGS_MODULE or DATABASE_URL
say): a new SQLite file, migrated first and deleted afterwards unless `--keep`.
See bench/README.md.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "names",
        nargs="*",
        metavar="name",
        help="benchmarks to run: import, recap, progress (default: all)",
    )
    parser.add_argument(
        "--scale", nargs="+", type=float, default=[1.0, 10.0], help="data sizes (default: 1 10)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each read; the fastest counts (default: 3)"
    )
    parser.add_argument("--seed", type=int, default=2025, help="seed of the data generator")
    parser.add_argument(
        "--db", type=Path, help="the SQLite file to create (default: a new temporary one)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.db is not None:
        os.environ["KINERJA_BENCH_DB"] = str(args.db.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from bench.benchmarks import BENCHMARKS
    from bench.report import figures_table, ratios_table, setup_table

    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    database = Path(settings.DATABASES["default"]["NAME"])
    if database.exists():
        sys.exit(f"{database} exists: the benchmarks only ever create a new database.")
    print(f"database: {database} (migrating)", file=sys.stderr)
    call_command("migrate", interactive=False, verbosity=0)
    figures = []
    setups = []
    try:
        for name in args.names or list(BENCHMARKS):
            module = BENCHMARKS[name]
            for scale in sorted(args.scale):
                sizes = module.sizes(scale)
                print(f"{name} at {scale:g}× {sizes} …", file=sys.stderr, flush=True)
                result = module.run(**sizes, seed=args.seed, repeat=args.repeat)
                figures += [(scale, figure) for figure in result.figures]
                for figure in result.figures:
                    print(
                        f"  {figure.step}: {figure.seconds:.3f} s, {figure.queries} queries",
                        file=sys.stderr,
                    )
                setups.append((name, scale, result.setup))
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            if "KINERJA_BENCH_DB" not in os.environ:
                shutil.rmtree(database.parent, ignore_errors=True)
            else:
                for path in database.parent.glob(database.name + "*"):
                    path.unlink()
    print(figures_table(figures))
    print()
    print(ratios_table(figures))
    print()
    print(setup_table(setups))
    return 0


if __name__ == "__main__":
    sys.exit(main())
