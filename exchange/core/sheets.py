"""One way to hand a table to a clerk: an xlsx workbook (every cell as text unless it is a
number, a header row in bold, frozen, columns wide enough to read) or a CSV file that Excel opens
without running anything in it."""
from __future__ import annotations

import csv
import io
from typing import Any

import xlsxwriter


def text_workbook(buffer: io.BytesIO) -> xlsxwriter.Workbook:
    """A workbook whose strings stay strings, however they begin: never a formula ("=…"), a
    number ("0012…" keeps its zeros) or a link. Every workbook the project writes starts here."""
    return xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})


def workbook(title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = text_workbook(buffer)
    sheet = book.add_worksheet(title[:31])
    sheet.write_row(0, 0, headers, book.add_format({"bold": True, "bg_color": "#F2F2F2"}))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, "" if value is None else str(value))
    for c, header in enumerate(headers):
        sheet.set_column(c, c, max(10, min(40, max([len(str(header)) * 2] + [len(str(row[c])) * 1.3 for row in rows[:200] if c < len(row)]))))
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


# A cell a spreadsheet would read as a formula (OWASP, "CSV Injection"): = + - @, or a tab or a
# carriage return in front of one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell that would start a formula gets a leading apostrophe, which Excel and WPS show
    as text; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_table(headers: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads the Chinese), every text cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
