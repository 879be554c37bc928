"""``opsbook import-xlsx``: statuses, actuals and review rows from a workbook into the YAML.

The workbook is one ``opsbook export --format xlsx`` wrote (in either language), maybe edited
in Excel or WPS. Every row is read and validated before anything is written; each problem
names the workbook, sheet and cell (``review.xlsx!T2 actions!K7``). Only input columns are
imported; a changed read-only column is an error rather than an edit silently dropped.
Edits are splices into the YAML (see :mod:`opsbook.edit.yamledit`), so an unchanged workbook
changes no byte of any file.
"""

from opsbook.edit.xlsx.plan import ImportResult, import_xlsx

__all__ = ["ImportResult", "import_xlsx"]
