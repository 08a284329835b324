"""The file layer: read and write park documents, CSV tables and XLSX workbooks.

Reading is all or nothing and located: :func:`read_file` returns a :class:`ParsedFile`
or raises :class:`~sinergi.errors.InputError` whose ``issues`` name file, sheet, row,
column and field of every problem, in English and Bahasa Indonesia. Writing produces files
that read back to the same ecosystem; :func:`write_template` writes the blank template.
The database is not touched here.
"""

from __future__ import annotations

from sinergi.io.issues import MAX_LISTED, Issue, IssueCode, IssueLog
from sinergi.io.numbers import format_float, parse_bool, parse_float, parse_int, parse_period
from sinergi.io.reader import FORMATS, ParsedFile, Progress, input_digest, read_file, read_files
from sinergi.io.safety import MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES
from sinergi.io.writer import write_file, write_template

__all__ = [
    "FORMATS",
    "MAX_FILE_BYTES",
    "MAX_LISTED",
    "MAX_UNCOMPRESSED_BYTES",
    "Issue",
    "IssueCode",
    "IssueLog",
    "ParsedFile",
    "Progress",
    "format_float",
    "input_digest",
    "parse_bool",
    "parse_float",
    "parse_int",
    "parse_period",
    "read_file",
    "read_files",
    "write_file",
    "write_template",
]
