"""The admin's spreadsheet formats (django-import-export): exports defused against formula injection.

A cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is run as a
formula by spreadsheet programs; openpyxl even stores such a string as a formula in an XLSX file.
django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only drops a leading ``=``
(changing the data, and missing the others). These formats prefix such text with ``'``, as the web
and API CSV downloads do (relations/core/exports.py); numbers and dates are left as they are.
Importing strips that ``'`` again (relations/core/import_export.py), so an export round trip is lossless.
"""

import tablib
from import_export.formats.base_formats import CSV, XLSX

from relations.core.exports import FORMULA_PREFIXES, csv_cell


def defused(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=[csv_cell(header) for header in dataset.headers or []], title=dataset.title)
    for row in dataset:
        safe.append([csv_cell(value) if isinstance(value, str) else value for value in row])
    return safe


def restored(value):
    """An imported cell as it was before ``defused``: ``'=1+1`` back to ``=1+1``."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class SafeCSV(CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(defused(dataset), **kwargs)


class SafeXLSX(XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(defused(dataset), **kwargs)
