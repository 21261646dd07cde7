import pytest

from kinerja.documents.domain.sizes import format_size


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (900, "900 B"),
        (1024, "1 KB"),
        (1536, "1,5 KB"),
        (20 * 1024 * 1024, "20 MB"),
        (1234567, "1,2 MB"),
        (3 * 1024**3, "3 GB"),
    ],
)
def test_sizes_are_written_the_indonesian_way(size, text):
    assert format_size(size) == text
