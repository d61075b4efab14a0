"""CSV for the API: serialized rows (nested lists included) as cells of relations.core.exports."""

import json

from rest_framework.renderers import BaseRenderer

from relations.core.exports import Column, csv_rows


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
