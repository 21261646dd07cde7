"""The benchmarks' figures as plain-text tables: each step at each size, then the ratios
of the largest size to the smallest (data, time, queries)."""

from collections.abc import Sequence

from bench.measure import Figure

_HEADER = ("benchmark", "step", "scale", "data", "seconds", "queries")


def _table(header: Sequence[str], lines: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(cells) for cells in lines)])


def figures_table(figures: Sequence[tuple[float, Figure]]) -> str:
    """One line per (scale, figure)."""
    lines = [
        (
            figure.benchmark,
            figure.step,
            f"{scale:g}×",
            figure.data,
            f"{figure.seconds:.3f}",
            str(figure.queries),
        )
        for scale, figure in figures
    ]
    return _table(_HEADER, lines, right={2, 4, 5})


def _ratio(high: int, low: int) -> str:
    if low == 0:
        return "none" if high == 0 else "∞"
    return f"{high / low:.2f}"


def ratios_table(figures: Sequence[tuple[float, Figure]]) -> str:
    """Per step: the largest scale's data, time and queries over the smallest's."""
    steps: dict[tuple[str, str], list[tuple[float, Figure]]] = {}
    for scale, figure in figures:
        steps.setdefault((figure.benchmark, figure.step), []).append((scale, figure))
    lines = []
    for (benchmark, step), measured in steps.items():
        if len(measured) < 2:
            continue
        (low_scale, low), (high_scale, high) = min(measured), max(measured)
        lines.append(
            (
                benchmark,
                step,
                f"{high_scale:g}×/{low_scale:g}×",
                f"{high.count / low.count:.1f}",
                f"{high.seconds / low.seconds:.1f}",
                _ratio(high.queries, low.queries),
            )
        )
    header = ("benchmark", "step", "ratio", "data", "time", "queries")
    return _table(header, lines, right={3, 4, 5})


def setup_table(setups: Sequence[tuple[str, float, dict[str, float]]]) -> str:
    """How long building each benchmark's data took: (benchmark, scale, label → seconds)."""
    lines = [
        (name, f"{scale:g}×", label, f"{seconds:.1f}")
        for name, scale, timings in setups
        for label, seconds in timings.items()
    ]
    return _table(("benchmark", "scale", "building", "seconds"), lines, right={1, 3})
