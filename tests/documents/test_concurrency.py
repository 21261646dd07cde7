"""Two people numbering at once (PostgreSQL): consecutive, different numbers; one per document."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from kinerja.core.errors import Conflict
from kinerja.documents import services
from kinerja.documents.models import Document, NumberSequence
from tests.documents import samples

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def at_once(*actions: Callable[[], object]) -> list[object]:
    """Run the actions in threads released together; each result or Conflict, in order."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Conflict as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def upload(scope, agency, title):
    return services.document_upload(
        actor=scope,
        agency=agency,
        kind="surat",
        title=title,
        uploaded=samples.upload(samples.pdf()),
    )


@pytest.mark.django_db(transaction=True)
def test_two_first_numberings_of_the_year_get_two_consecutive_numbers(member_scope, agency):
    documents = [upload(member_scope, agency, f"Surat {n}") for n in range(4)]

    at_once(
        *(
            lambda d=d: services.document_number_assign(actor=member_scope, document=d)
            for d in documents
        )
    )

    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert [number.split("/")[0] for number in numbers] == ["001", "002", "003", "004"]
    assert NumberSequence.objects.get(agency=agency, kind="surat").last == 4


@pytest.mark.django_db(transaction=True)
def test_numbering_one_document_twice_at_once_gives_one_number_and_one_conflict(
    member_scope, agency
):
    document = upload(member_scope, agency, "Surat")

    results = at_once(
        lambda: services.document_number_assign(actor=member_scope, document=document),
        lambda: services.document_number_assign(actor=member_scope, document=document),
    )

    assert sorted(type(result).__name__ for result in results) == ["Conflict", "Document"]
    assert NumberSequence.objects.get(agency=agency, kind="surat").last == 1


@pytest.mark.django_db(transaction=True)
def test_two_generated_letters_at_once_are_numbered_apart(member_scope, agency):
    fields = {
        "tanggal": "2026-08-17",
        "perihal": "Rekap",
        "kepada": "Kepala BAPPEDA",
        "isi": "Terlampir.",
        "penandatangan_jabatan": "Kepala Dinas",
        "penandatangan_nama": "Asnidar",
    }

    results = at_once(
        *(
            lambda n=n: services.document_generate(
                actor=member_scope, agency=agency, kind="surat", title=f"Surat {n}", fields=fields
            )
            for n in range(2)
        )
    )

    numbers = {result.number for result in results if isinstance(result, Document)}
    assert len(numbers) == 2
