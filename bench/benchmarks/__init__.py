"""The benchmarks, by name. Each module has `BASE` (its 1× size), `sizes(scale)` (the
keyword arguments of `run` at a scale) and `run(**sizes, seed=…) -> measure.Run`."""

from types import ModuleType

from bench.benchmarks import progress, recap, worksheet_import

BENCHMARKS: dict[str, ModuleType] = {
    "import": worksheet_import,
    "recap": recap,
    "progress": progress,
}
