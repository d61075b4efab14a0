"""The API's renderers: JSON written by orjson, and CSV (serialized rows as cells of relations.core.exports)."""

import enum
import functools
import json
import math
import re
import uuid
from collections.abc import Iterator

import orjson
from rest_framework import renderers
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from relations.core.exports import Column, csv_rows

# Values orjson writes exactly as json.dumps(ensure_ascii=False) does, whatever they hold.
_LEAVES = frozenset({str, int, bool, type(None)})
_DICTS = frozenset({dict, ReturnDict})
_LISTS = frozenset({list, tuple, ReturnList})
_LINE_SEPARATORS = re.compile(b"\xe2\x80[\xa8\xa9]")  # U+2028 and U+2029 in UTF-8
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class _DRFPath(Exception):
    """Raised inside orjson's ``default``: this value must be written by DRF's own path."""


def orjson_writes_as_drf(value) -> bool:
    """Whether orjson's own writing of ``value`` (of every value orjson itself will meet in it) is DRF's.

    orjson writes NaN and infinities as null where DRF writes NaN or refuses (STRICT_JSON), and floats under
    1e-4 as 0.00001 or 1e-9 where Python writes 1e-05 and 1e-09; it writes enums, which DRF refuses, and
    reads a dict subclass's own storage, not its ``items()`` (an OrderedDict after ``move_to_end``).
    What orjson passes to ``default`` is checked there (``JSONRenderer.default``).
    """
    kind = type(value)
    if kind in _DICTS:
        items = value.values()
    elif kind in _LISTS:
        items = value
    elif kind in _LEAVES:
        return True
    else:
        return _other_as_drf(value)
    if _LEAVES.issuperset(map(type, items)):  # most rows: one pass in C
        return True
    for item in items:
        if type(item) not in _LEAVES and not orjson_writes_as_drf(item):
            return False
    return True


def _other_as_drf(value) -> bool:
    if type(value) is float:
        return value == 0.0 or (math.isfinite(value) and abs(value) >= 1e-4)
    if type(value) is uuid.UUID:
        return True
    if isinstance(value, enum.Enum):  # TextChoices and IntegerChoices members: their value, by both
        return type(value._value_) in (str, int) and value._value_ == value
    if isinstance(value, float | dict | list | tuple | uuid.UUID):
        return False
    # str and int subclasses are written from their value by both; anything else goes to ``default``.
    return True


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer, byte for byte, written by orjson when the output is compact.

    orjson writes a page of 50 events (54 KB) in a thirteenth of DRF's time; checking the values first
    (``orjson_writes_as_drf``) costs more than that, and the whole takes 0.25 ms against DRF's 0.65.

    Indented output (the browsable API, ``Accept: application/json; indent=4``), ASCII-only or spaced output
    (UNICODE_JSON / COMPACT_JSON off) and any value orjson would write differently (see ``orjson_writes_as_drf``)
    go through DRF's own ``render``. orjson meets datetimes, dates, times, Decimals, lazy
    strings, querysets, sets and the like through ``default``, DRF's encoder's own. Big integers (over 64 bits),
    keys that are not str and data deeper than 255 make orjson fail; DRF's path then answers or raises.
    """

    @functools.cached_property
    def encoder(self):
        return self.encoder_class()

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if (
            self.ensure_ascii
            or not self.compact
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
            or not self.plain(data)
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            ret = orjson.dumps(data, default=self.default, option=_ORJSON_OPTIONS)
        except orjson.JSONEncodeError:  # every failure, default's included
            return super().render(data, accepted_media_type, renderer_context)
        # DRF escapes U+2028 and U+2029 so that the JSON is a strict JavaScript subset.
        if _LINE_SEPARATORS.search(ret):
            ret = ret.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return ret

    @staticmethod
    def plain(data):
        try:
            return orjson_writes_as_drf(data)
        except RecursionError:  # circular: DRF's path says so
            return False

    def default(self, value):
        if isinstance(value, Iterator):  # a generator is read once: keep it for DRF's path
            raise _DRFPath
        value = self.encoder.default(value)
        if not orjson_writes_as_drf(value):
            raise _DRFPath
        return value


def flat_value(value):
    """A serialized value as one cell: lists of ids or names joined by '; ', nested objects as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        if any(isinstance(item, dict | list) for item in value):
            return json.dumps(value, ensure_ascii=False)
        return "; ".join("" if item is None else str(item) for item in value)
    return value


def api_columns(header: list[str]) -> list[Column]:
    return [Column(name, lambda row, name=name: flat_value(row.get(name))) for name in header]


class CSVRenderer(BaseRenderer):
    """``?format=csv``: lists stream every matching row (see ``CSVListMixin.list``); a detail is one row."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = data.get("results", [data]) if isinstance(data, dict) else list(data)
        header = list(rows[0]) if rows else []
        return "".join(csv_rows(rows, api_columns(header))).encode(self.charset)
