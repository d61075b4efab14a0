"""CSV downloads of the rows a list page's filters select, streamed so any number of rows fits."""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import StreamingHttpResponse

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """The text of one CSV cell, defused so that a spreadsheet never runs it as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    """One CSV column: its header and how to read its value from a record."""

    header: str
    value: Callable[[Any], Any]


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def stream(queryset, chunk_size: int) -> Iterator[Any]:
    """The rows of ``queryset`` fetched ``chunk_size`` at a time, for a download of any length.

    A chunk's prefetched relations point back at their record (a person's positions at the person),
    a reference cycle that only Python's cycle collector frees, in its own rhythm: memory would then
    grow with the number of chunks for a while. Dropping a record's prefetched objects once the
    consumer moves on to the next record breaks the cycle, so each chunk is freed as soon as it is written.
    A ``Prefetch(..., to_attr=...)`` (a person's current positions) keeps its list in an attribute of its
    own, not in the prefetch cache: that attribute is dropped too.
    """
    to_attrs = [
        lookup.prefetch_to
        for lookup in getattr(queryset, "_prefetch_related_lookups", ())
        if getattr(lookup, "to_attr", None) and "__" not in lookup.prefetch_to
    ]
    for record in queryset.iterator(chunk_size=chunk_size):
        yield record
        record.__dict__.pop("_prefetched_objects_cache", None)
        for name in to_attrs:
            record.__dict__.pop(name, None)


def csv_rows(records: Iterable[Any], columns: Iterable[Column]) -> Iterable[str]:
    columns = list(columns)
    writer = csv.writer(_Echo())
    yield "\ufeff"  # byte-order mark: spreadsheets then read the file as UTF-8 (Arabic, Cyrillic)
    yield writer.writerow([csv_cell(column.header) for column in columns])
    for record in records:
        yield writer.writerow([csv_cell(column.value(record)) for column in columns])


def csv_response(filename: str, records: Iterable[Any], columns: Iterable[Column]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(records, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
