"""Report forms (spec/indicators.md): the pairing's indicators in the layout of seed 003's table
4-2 — indicator, basic target, stretch target, actual, completion, same period last year, change —
in Chinese, with both counties' names and the day counted to; monthly, quarterly and yearly, as
xlsx and PDF. The figures are the API's for the same span (service.indicators), never computed
twice. Reading chosen: monthly and quarterly forms are cumulative from 1 January to the month's
or quarter's end, as the yearly targets they are measured against are."""
from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import render_template

from exchange.core.clock import add_months, iso_local
from exchange.core.i18n import record_language
from exchange.core.pdf import render_pdf
from exchange.core.sheets import text_workbook
from exchange.indicators import service

HEADERS = ["指标", "基本任务", "奋斗目标", "实际完成", "完成率（%）", "去年同期", "同比增减"]


def period_end(year: int, month: int | None = None, quarter: int | None = None) -> tuple[date, str]:
    """The last day a form counts to, and its title's period words."""
    if quarter:
        month, words = quarter * 3, f"{year}年第{quarter}季度"
    elif month:
        words = f"{year}年{month}月"
    else:
        return date(year, 12, 31), f"{year}年度"
    return add_months(date(year, month, 1), 1) - timedelta(days=1), words


def report(ctx, viewer, pairing_id: str, year: int, month: int | None = None, quarter: int | None = None) -> dict[str, Any]:
    """The form's rows: the API's indicators for 1 January to the period's end."""
    end, words = period_end(year, month, quarter)
    data = service.indicators(ctx, viewer, pairing_id, year, as_of=end)
    pairing = ctx.pairings.get(pairing_id)
    rows = []
    for i in data["indicators"]:
        change = i["actual"] - i["last_year_same_date"]
        rows.append([i["label"], i["target"], i["stretch_target"], i["actual"],
                     round(100 * i["completion"], 1) if i["completion"] is not None else None,
                     i["last_year_same_date"], round(change, 2) if isinstance(change, float) else change])
    return {"title": f"{pairing.sending.name}、{pairing.receiving.name}劳务协作指标完成情况（{words}）",
            "pairing": pairing, "as_of": end, "period": words, "rows": rows,
            "generated": (iso_local(ctx.clock.now()) or "")[:16].replace("T", " ")}


def report_xlsx(form: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    book = text_workbook(buffer)
    sheet = book.add_worksheet("指标完成情况")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "align": "center"})
    cell = book.add_format({"border": 1, "text_wrap": True})
    number = book.add_format({"border": 1})
    sheet.write_string(0, 0, form["title"], book.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(1, 0, f"输出地：{form['pairing'].sending.name}　输入地：{form['pairing'].receiving.name}　"
                             f"统计截至：{form['as_of'].isoformat()}（北京时间）", bold)
    sheet.write_row(3, 0, HEADERS, head)
    for r, row in enumerate(form["rows"], start=4):
        sheet.write_string(r, 0, str(row[0]), cell)
        for c, value in enumerate(row[1:], start=1):
            if value is None:
                sheet.write_blank(r, c, None, number)
            else:
                sheet.write_number(r, c, value, number)
    sheet.write_string(len(form["rows"]) + 5, 0, f"生成时间：{form['generated']}（北京时间）")
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 6, 12)
    sheet.set_landscape()
    sheet.set_paper(9)          # A4
    sheet.fit_to_pages(1, 0)
    book.close()
    return buffer.getvalue()


def report_pdf(form: dict[str, Any]) -> bytes:
    with record_language():
        return render_pdf(render_template("pdf/indicators_report.html", form=form, headers=HEADERS))


def filename(pairing_id: str, year: int, month: int | None, quarter: int | None, extension: str) -> str:
    part = f"-q{quarter}" if quarter else f"-{month:02d}" if month else ""
    return f"indicators-{pairing_id}-{year}{part}.{extension}"


def form_file(ctx, viewer, pairing_id: str, year: int, month: int | None, quarter: int | None,
              fmt: str) -> tuple[bytes, str]:
    """A form as a file (xlsx or PDF) and its name, for the API and the portal alike."""
    form = report(ctx, viewer, pairing_id, year, month=month, quarter=quarter)
    body = report_xlsx(form) if fmt == "xlsx" else report_pdf(form)
    return body, filename(pairing_id, year, month, quarter, fmt)


def write_monthly(ctx, pairing, year: int, month: int, folder: Path, viewer) -> list[Path]:
    """The month's forms (xlsx and PDF) written into the instance folder, as the scheduler does on
    the 1st of the next month; returns the files written."""
    form = report(ctx, viewer, pairing.id, year, month=month)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for extension, body in (("xlsx", report_xlsx(form)), ("pdf", report_pdf(form))):
        path = folder / filename(pairing.id, year, month, None, extension)
        path.write_bytes(body)
        written.append(path)
    return written
