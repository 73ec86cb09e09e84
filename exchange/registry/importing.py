"""Importing a seeker spreadsheet (xlsx, CSV in UTF-8 or GB18030, or a JSON array).

Rows stream through in chunks: each row is cleaned by the registry's one set of field rules,
checked for duplicates in the file and in the registry (one query per chunk), and the accepted
rows of the whole file are inserted in one transaction. Rejected rows never block accepted
ones; the rejected rows' cells are kept (encrypted) for the clerk's error report."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from flask_babel import gettext as _
from python_calamine import CalamineError, CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from exchange.accounts.permissions import require_role
from exchange.accounts.roles import SENDING_STAFF, Actor
from exchange.core import audit, safejson
from exchange.core.bulk import insert_rows
from exchange.core.errors import Conflict, TooLarge, Unprocessable
from exchange.core.files import DAMAGED, TOO_LARGE, decode_text, sniff, unpacked_size
from exchange.core.parsing import FieldProblem
from exchange.core.scoping import get_visible
from exchange.core.sheets import text_workbook
from exchange.extensions import db
from exchange.registry.identity import normalise_national_id
from exchange.registry.models import ImportRun, Seeker
from exchange.registry.rows import RowProblems, clean_seeker
from exchange.registry.service import households_for, seeker_columns

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024   # a workbook of 100,000 rows unpacks to well under this
CHUNK = 2000
REPORT_AAD = b"import_runs.rejected_rows"

# Column headers as clerks write them → the registry's field names.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字"),
    "national_id": ("身份证号", "身份证号码", "身份证", "公民身份号码", "证件号码"),
    "phone": ("手机号", "手机号码", "手机", "联系电话", "电话"),
    "gender": ("性别",),
    "education": ("学历", "文化程度"),
    "skills": ("技能", "技能特长", "专业技能"),
    "occupations_wanted": ("意向工种", "求职意向", "意向岗位", "期望工种"),
    "wage_expectation_yuan": ("期望月薪", "期望工资", "期望薪资", "月薪期望"),
    "work_type": ("工作类型", "用工类型", "务工类型"),
    "available_from": ("可出发日期", "可出发时间", "可上岗日期"),
    "household_status": ("户类型", "户籍类型", "人员类别", "户别"),
    "consent_to_share": ("同意共享", "同意共享信息", "是否同意共享"),
    "bank_account": ("银行账号", "银行卡号", "社保卡号"),
    "bank_name": ("开户银行", "开户行", "银行名称"),
    "township": ("乡镇", "所属乡镇", "乡（镇）"),
    "household_no": ("户编号", "户号", "家庭户编号", "贫困户编号"),
    "emergency_contact_name": ("紧急联系人",),
    "emergency_contact_phone": ("紧急联系电话", "紧急联系人电话"),
    "note": ("备注",),
}
FIELD_NAMES = ("name", "national_id", "phone", "gender", "education", "skills", "occupations_wanted",
               "wage_expectation_fen", "wage_expectation_yuan", "work_type", "available_from",
               "household_status", "consent_to_share", "bank_account", "bank_name", "township", "household_no",
               "emergency_contact_name", "emergency_contact_phone", "note")
# The column a clerk knows for a field named in a row problem.
COLUMN_NAMES = {name: aliases[0] for name, aliases in HEADERS.items()} | {"wage_expectation_fen": "期望月薪"}
_LOOKUP = {**{name: name for name in FIELD_NAMES},
           **{alias: name for name, aliases in HEADERS.items() for alias in aliases}}
_HEADER_NOISE = re.compile(r"[\s\u3000*＊:：]|[(（][^)）]*[)）]")


def header_field(text: object) -> str | None:
    """'身份证号（18位）*' → 'national_id'; English field names are accepted as they are."""
    raw = str(text or "").strip()
    return _LOOKUP.get(raw) or _LOOKUP.get(raw.lower()) or _LOOKUP.get(_HEADER_NOISE.sub("", raw))


class _Unreadable(Exception):
    pass


@dataclass
class Table:
    headers: list[str]
    fields: list[str | None]
    rows: Iterator[tuple[int, list[Any]]]
    header_row: int


def _find_header(rows: Iterator[list[Any]], skip_before: int = 5) -> tuple[int, list[Any]]:
    """The header is the first of the first rows naming two or more known columns (a title row
    above it, as county forms often have, is skipped)."""
    for number, cells in enumerate(rows, start=1):
        if sum(1 for c in cells if header_field(c)) >= 2:
            return number, cells
        if number >= skip_before:
            break
    raise _Unreadable(_("No known column headers (such as 姓名, 身份证号, 手机号) in the first rows"))


def _tabular(rows: Iterator[list[Any]]) -> Table:
    header_row, header = _find_header(rows)

    def data() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(rows, start=header_row + 1):
            yield number, list(cells)
    return Table(headers=[str(h).strip() for h in header], fields=[header_field(h) for h in header],
                 rows=data(), header_row=header_row)


def read_table(data: bytes, kind: str) -> Table:
    if kind == "xlsx":
        unpacked = unpacked_size(data, MAX_UNPACKED)
        if unpacked == TOO_LARGE:
            raise _Unreadable(_("The workbook unpacks to more than %(mb)s MB: it cannot be a list of seekers",
                                mb=MAX_UNPACKED // 2**20))
        if unpacked == DAMAGED:
            raise _Unreadable(_("The workbook is damaged: save it again from the spreadsheet program"))
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            return _tabular(iter(sheet.iter_rows()))
        except CalamineError as exc:
            raise _Unreadable(_("The workbook cannot be read: %(error)s", error=str(exc)[:200])) from None
    if kind == "csv":
        try:
            text = decode_text(data)
        except UnicodeDecodeError:
            raise _Unreadable(_("The CSV file is neither UTF-8 nor GB18030 text")) from None
        return _tabular(_csv_rows(text))
    try:
        items = safejson.loads(decode_text(data))
    except safejson.TooDeep:
        raise _Unreadable(_("The JSON file is nested more than %(n)s levels deep", n=safejson.MAX_DEPTH)) from None
    except (ValueError, UnicodeDecodeError):
        raise _Unreadable(_("The file is not valid JSON")) from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _Unreadable(_("A JSON import is an array of objects, one per seeker"))
    keys = list(dict.fromkeys(k for item in items for k in item))
    return Table(headers=keys, fields=[header_field(k) for k in keys],
                 rows=((n, [item.get(k) for k in keys]) for n, item in enumerate(items, start=1)), header_row=0)


def _csv_rows(text: str) -> Iterator[list[str]]:
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:   # a cell over 128 KiB, a NUL …: the file, not a row, is unreadable
        raise _Unreadable(_("The CSV file cannot be read: %(error)s", error=str(exc)[:200])) from None


def file_kind(data: bytes, filename: str) -> str:
    """The file's type from its content; a name that says otherwise is refused."""
    sniffed = sniff(data)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if sniffed == "xls" or extension == "xls":
        raise Unprocessable("bad_file", _("Old .xls workbooks are not read: save the sheet as .xlsx (Excel: 另存为 → Excel 工作簿) and upload again"))
    expected = {"xlsx": "xlsx", "csv": "text", "json": "json", "txt": "text"}.get(extension)
    if expected and sniffed != expected and not (expected == "text" and sniffed == "json"):
        raise Unprocessable("bad_file", _("The file is named .%(ext)s but its content is not a %(ext)s file", ext=extension))
    if sniffed == "xlsx":
        return "xlsx"
    if sniffed == "json" and extension != "csv":
        return "json"
    if sniffed in ("text", "json"):
        return "csv"
    raise Unprocessable("bad_file", _("Upload an .xlsx workbook, a .csv file or a .json array"))


@dataclass
class Outcome:
    total: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    rejected_rows: list[list[Any]] = field(default_factory=list)


def _blank_row(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _cell_text(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def import_seekers(ctx, actor: Actor, *, data: bytes, filename: str, dry_run: bool) -> ImportRun:
    require_role(actor, SENDING_STAFF)
    if len(data) > MAX_BYTES:
        raise TooLarge("too_large", _("The file is larger than %(mb)s MB; split it into smaller files", mb=MAX_BYTES // 2**20))
    if not data.strip():
        raise Unprocessable("empty_file", _("The file is empty"))
    kind = file_kind(data, filename)
    try:
        table = read_table(data, kind)
    except _Unreadable as exc:
        raise Unprocessable("bad_file", str(exc)) from None

    today, now = ctx.clock.today(), ctx.clock.now()
    run = ImportRun(region=actor.region, user_id=actor.user_id, filename=filename.replace("\x00", "")[:255], file_type=kind,
                    dry_run=dry_run, total=0, accepted=0, duplicates=0, created_at=now)
    db.session.add(run)
    db.session.flush()

    outcome = Outcome()
    unknown = [h for h, f in zip(table.headers, table.fields) if f is None and h]
    if unknown:
        outcome.warnings.append({"row": table.header_row, "field": "", "code": "unknown_column",
                                 "message": _("Columns not read: %(names)s", names="、".join(unknown[:10]))})
    seen_ids: set[str] = set()
    chunk: list[tuple[int, list[Any], dict[str, Any], tuple[str, str] | None]] = []

    def reject(number: int, cells: list[Any], problems: list[dict[str, Any]]) -> None:
        outcome.rejected.extend(problems)
        outcome.rejected_rows.append([number, [_cell_text(c) for c in cells],
                                      "；".join(f"{p['field']}: {p['message']}" for p in problems)])

    def flush_chunk() -> None:
        if not chunk:
            return
        hashes = [columns["national_id_hash"] for _n, _c, columns, _h in chunk]
        registered = set(db.session.scalars(select(Seeker.national_id_hash).where(Seeker.national_id_hash.in_(hashes))))
        accepted, households = [], {}
        for number, cells, columns, household in chunk:
            if columns["national_id_hash"] in registered:
                outcome.duplicates += 1
                reject(number, cells, [{"row": number, "field": "national_id", "code": "already_registered",
                                        "message": _("Already registered")}])
            else:
                accepted.append(columns)
                if household:
                    households.setdefault(*household)
        # 户编号: the households the accepted rows name, registered on first mention (not in a dry run).
        household_ids = households_for(actor, households, now=now, create=not dry_run)
        for (_n, _c, columns, household) in chunk:      # every row the same keys: one executemany
            columns["household_id"] = household_ids.get(household[0]) if household else None
        outcome.accepted += len(accepted)
        if accepted and not dry_run:
            try:
                insert_rows(Seeker.__table__, accepted)
            except IntegrityError:
                _conflict()
        chunk.clear()

    try:
        for number, cells in table.rows:
            if _blank_row(cells):
                continue
            outcome.total += 1
            raw: dict[str, Any] = {}
            for index, name in enumerate(table.fields):
                # Two columns for one field (姓名 and name): the one that holds a value wins.
                if name is not None and index < len(cells) and raw.get(name) in (None, ""):
                    raw[name] = cells[index]
            national_id = raw.get("national_id")
            if national_id not in (None, ""):
                try:
                    key = normalise_national_id(national_id)
                except FieldProblem:
                    key = None
                if key is not None:
                    if key in seen_ids:
                        outcome.duplicates += 1
                        reject(number, cells, [{"row": number, "field": "national_id", "code": "duplicate_in_file",
                                                "message": _("The same ID number appears in an earlier row")}])
                        continue
                    seen_ids.add(key)
            try:
                clean = clean_seeker(raw, today)
            except RowProblems as exc:
                reject(number, cells, [p.as_dict(number) for p in exc.problems])
                continue
            outcome.warnings.extend(w.as_dict(number) for w in clean.warnings)
            household = clean.values.get("household_no")
            chunk.append((number, cells, seeker_columns(clean, ctx.cipher, region=actor.region, created_by=actor.user_id,
                                                        now=now, import_run_id=run.id),
                          (household, clean.values["household_status"]) if household else None))
            if len(chunk) >= CHUNK:
                flush_chunk()
        flush_chunk()
    except _Unreadable as exc:    # found only when the reading got there (a CSV's overlong cell)
        db.session.rollback()
        raise Unprocessable("bad_file", str(exc)) from None
    # Registry duplicates are found per chunk; the clerk reads the report in file order.
    outcome.rejected.sort(key=lambda problem: problem["row"])
    outcome.rejected_rows.sort(key=lambda rejected: rejected[0])

    run.total, run.accepted, run.duplicates = outcome.total, outcome.accepted, outcome.duplicates
    run.rejected, run.warnings, run.finished_at = outcome.rejected, outcome.warnings, ctx.clock.now()
    if outcome.rejected_rows:
        payload = json.dumps({"headers": table.headers, "rows": outcome.rejected_rows}, ensure_ascii=False, default=str)
        run.rejected_rows_enc = ctx.cipher.encrypt(payload, REPORT_AAD)
    audit.record(actor, "seekers.imported" if not dry_run else "seekers.import_checked", "import_run", run.id,
                 at=now, total=run.total, accepted=run.accepted, duplicates=run.duplicates)
    try:
        db.session.commit()
    except IntegrityError:
        _conflict()
    return run


def _conflict():
    """Another clerk registered one of these people while this file was being read."""
    db.session.rollback()
    raise Conflict("import_conflict", _("Someone registered one of these people meanwhile; nothing was stored. Upload the file again")) from None


def get_import_run(actor: Actor, run_id: int) -> ImportRun:
    return get_visible(ImportRun, run_id, actor)


def error_report(ctx, actor: Actor, run_id: int) -> bytes:
    """The rejected rows as the clerk uploaded them, with an error column, as xlsx. The cells hold
    ID numbers and phones as typed (the clerk must see what to fix), so only the region's clerks
    may download it, and each download is audited like a reveal."""
    require_role(actor, SENDING_STAFF)
    run = get_import_run(actor, run_id)
    audit.record(actor, "import.error_report", "import_run", run.id, at=ctx.clock.now(), rows=len(run.rejected or []))
    db.session.commit()
    content = {"headers": [], "rows": []}
    if run.rejected_rows_enc:
        content = json.loads(ctx.cipher.decrypt(run.rejected_rows_enc, REPORT_AAD))
    buffer = io.BytesIO()
    book = text_workbook(buffer)
    sheet = book.add_worksheet("错误行")
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2"})
    error = book.add_format({"font_color": "#C00000", "text_wrap": True})
    headers = ["原行号", *content["headers"], "错误说明"]
    sheet.write_row(0, 0, headers, bold)
    for r, (number, cells, message) in enumerate(content["rows"], start=1):
        sheet.write_number(r, 0, number)
        for c, value in enumerate(cells, start=1):
            # Everything as text: an ID number written as a number would lose its last digits.
            sheet.write_string(r, c, "" if value is None else str(value))
        sheet.write_string(r, len(headers) - 1, message, error)
    sheet.set_column(1, len(headers) - 2, 16)
    sheet.set_column(len(headers) - 1, len(headers) - 1, 60)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _pending_path(ctx, run_id: int):
    return ctx.settings.instance_dir / "imports" / f"{run_id}.bin"


def keep_for_confirmation(ctx, run: ImportRun, data: bytes) -> None:
    """The portal's wizard: the checked file waits (encrypted) until the clerk confirms it."""
    path = _pending_path(ctx, run.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A check nobody confirmed within a day is abandoned: its file (full ID numbers, encrypted) goes.
    stale = ctx.clock.wall().timestamp() - 24 * 3600
    for old in path.parent.glob("*.bin"):
        if old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)
    path.write_bytes(ctx.cipher.encrypt(data.hex(), b"import.pending"))


def confirm_import(ctx, actor: Actor, run_id: int) -> ImportRun:
    """Imports the file a dry run checked, without uploading it again."""
    checked = get_import_run(actor, run_id)
    path = _pending_path(ctx, checked.id)
    if not checked.dry_run or not path.exists():
        raise Conflict("nothing_to_confirm", _("This check has no file waiting; upload the file again"))
    data = bytes.fromhex(ctx.cipher.decrypt(path.read_bytes(), b"import.pending"))
    run = import_seekers(ctx, actor, data=data, filename=checked.filename, dry_run=False)
    path.unlink(missing_ok=True)
    return run
