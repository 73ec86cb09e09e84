"""One way to hand a table to a clerk as an xlsx workbook: every cell as text unless it is a
number, a header row in bold, frozen, columns wide enough to read."""
from __future__ import annotations

import io
from typing import Any

import xlsxwriter


def workbook(title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
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
