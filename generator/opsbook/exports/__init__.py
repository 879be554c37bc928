"""Exports of the catalog for other tools: JSON, Excel workbooks and calendars.

Each export is a pure function of the catalog (and the language) returning bytes, so the
command line, the site (``site.generate.CONTRIBUTORS``) and the tests all get the same files.
"""
