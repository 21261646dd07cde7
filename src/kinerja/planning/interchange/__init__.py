"""Planning import and export: one agency's plans as a JSON document or an Excel workbook.

The format is documented in `docs/import-format.md` and described by
`schema.json`. `importer.planning_import` validates a document (schema, then
meaning) and applies it all or nothing; `exporter.planning_export` writes the
same format back; `workbook` converts between the document and an xlsx
workbook; `files.read_planning_file` turns uploaded bytes into a document.
"""
