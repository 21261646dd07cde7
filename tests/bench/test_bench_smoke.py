"""Each benchmark runs at two tiny sizes, reports its figures, and its query counts do not
grow with the data (the benchmarks themselves run at 1× and 10× with `python -m bench.run`)."""

import pytest
from bench.benchmarks import BENCHMARKS
from bench.report import figures_table, ratios_table, setup_table

pytestmark = pytest.mark.django_db

#: two tiny sizes per benchmark: 20 and 40 rows, 3 and 4 units, 3 and 4 agencies
TINY = {
    "import": ({"rows": 20}, {"rows": 40}),
    "recap": ({"units": 3, "indicators": 20}, {"units": 4, "indicators": 40}),
    "progress": ({"agencies": 3}, {"agencies": 4}),
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_a_benchmark_reports_figures_that_do_not_grow_in_queries(name, capsys):
    module = BENCHMARKS[name]
    small_sizes, larger_sizes = TINY[name]

    small = module.run(**small_sizes, repeat=1)
    larger = module.run(**larger_sizes, repeat=2)

    figures = [(1.0, figure) for figure in small.figures] + [
        (2.0, figure) for figure in larger.figures
    ]
    assert small.figures
    assert all(figure.seconds > 0 and figure.count > 0 for _scale, figure in figures)
    assert all(figure.queries >= 0 for _scale, figure in figures)
    assert any(figure.queries > 0 for figure in small.figures)
    assert [(f.step, f.queries) for f in small.figures] == [
        (f.step, f.queries) for f in larger.figures
    ]
    assert all(seconds >= 0 for seconds in small.setup.values())
    print(figures_table(figures))
    print(ratios_table(figures))
    print(setup_table([(name, 1.0, small.setup)]))
    shown = capsys.readouterr().out
    for figure in small.figures:
        assert figure.step in shown
    assert "2×/1×" in shown


def test_the_sizes_grow_with_the_scale():
    for module in BENCHMARKS.values():
        once, tenfold = module.sizes(1), module.sizes(10)
        assert once == module.BASE
        assert all(tenfold[key] == 10 * value for key, value in once.items())
