"""Excel exchange with the units: a progress form to fill in, and reading it back.

The form (openpyxl) has the unit's tasks as locked rows, a drop-down for the status, whole-number
checks on the figures and instructions in Vietnamese. Reading a filled form validates every cell
and names the sheet, row and column of each problem, all at once.
"""

from __future__ import annotations

import ast
import datetime as _dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from generator.io.fsutil import InputError, read_input
from generator.io.loader import MAX_TEXT, OTHER_SPREADSHEETS, LoadError, Located
from generator.io.refdata import RefData, Unit, figures_of
from generator.io.safezip import ZipLimitError, read_parts, repack
from generator.lang import vn
from generator.lang.i18n import _
from generator.model.concern import concerning_tasks
from generator.model.document import MAX_FIGURE, MAX_TASKS, PLACEHOLDER, STATUSES, Plan, Progress, TaskProgress

SHEET = "Tiến độ"
HELP = "Hướng dẫn"
HEADER_ROW = 6
UNIT_CELL, DATE_CELL = "B3", "B4"
FIXED = ["Mã nhiệm vụ", "Nhiệm vụ, giải pháp", "Thời gian", "Trạng thái", "Kết quả thực hiện"]
INSTRUCTIONS = [
    "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO TIẾN ĐỘ",
    "1. Chỉ điền vào các ô nền vàng trên trang “Tiến độ”; các ô khác đã khóa.",
    "2. Ô “Ngày báo cáo” (B4): ngày gửi báo cáo, dạng ngày/tháng/năm.",
    "3. Cột “Trạng thái”: chọn trong danh sách: hoàn thành, đang thực hiện, chưa thực hiện.",
    "4. Cột “Kết quả thực hiện”: nêu ngắn gọn việc đã làm, kết quả đạt được.",
    "5. Các cột số liệu: ghi số nguyên (không ghi chữ); để trống nếu không có.",
    "6. Không thêm, xóa hay đổi thứ tự các dòng nhiệm vụ; không sửa mã nhiệm vụ.",
    "7. Lưu tệp dạng .xlsx và gửi lại cho cơ quan tổng hợp.",
]
_EDIT = PatternFill("solid", fgColor="FFF2CC")
#: Bytes of a filled form, on disk and per unpacked part (a 5,000-task form is about 2 MB).
MAX_FORM_BYTES = 20 * 2**20
#: Filled rows below the header: one per task of the largest plan, and some slack for notes.
MAX_FORM_ROWS = MAX_TASKS + 100
#: Columns of the header read: the fixed ones and the figures, with room to spare.
MAX_FORM_COLUMNS = 200


def _put(ws, ref: str, text: str):
    """Write *text* as text: a task or a name beginning with '=' must never become a live formula."""
    cell = ws[ref]
    cell.value = text
    cell.data_type = "s"
    return cell


def write_form(plan: Plan, unit: Unit, ref: RefData, plan_title: str) -> bytes:
    """The unit's progress form for *plan*, as .xlsx bytes (deterministic for the same input)."""
    tasks = [c.task for c in concerning_tasks(plan, unit)]
    if not tasks:
        raise ValueError(_("no task of the plan concerns unit {id} ({name})", id=repr(unit.id), name=unit.name))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _put(ws, "A1", "BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH")
    ws["A1"].font = Font(bold=True, size=14)
    _put(ws, "A2", "Kế hoạch:")
    _put(ws, "B2", plan_title)
    _put(ws, "A3", "Mã đơn vị:")
    _put(ws, UNIT_CELL, unit.id)
    _put(ws, "C3", unit.party.issuer if unit.party else unit.name)
    _put(ws, "A4", "Ngày báo cáo:")
    ws[DATE_CELL].number_format = "DD/MM/YYYY"
    ws[DATE_CELL].protection = Protection(locked=False)
    ws[DATE_CELL].fill = _EDIT
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(2000,1,1)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ngày không hợp lệ",
        error="Ghi ngày dạng ngày/tháng/năm.",
    )
    ws.add_data_validation(dates)
    dates.add(DATE_CELL)
    figures = list(figures_of(plan, ref).items())
    headers = FIXED + [f.heading for _fid, f in figures]
    for col, text in enumerate(headers, 1):
        cell = _put(ws, f"{get_column_letter(col)}{HEADER_ROW}", text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Trạng thái không hợp lệ",
        error="Chọn: " + ", ".join(STATUSES),
    )
    numbers = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số liệu không hợp lệ",
        error="Ghi số nguyên không âm.",
    )
    ws.add_data_validation(status)
    ws.add_data_validation(numbers)
    for i, task in enumerate(tasks):
        row = HEADER_ROW + 1 + i
        _put(ws, f"A{row}", task.id).number_format = "@"
        _put(ws, f"B{row}", task.text).alignment = Alignment(wrap_text=True, vertical="top")
        _put(ws, f"C{row}", task.timeframe).alignment = Alignment(wrap_text=True, vertical="top")
        for col in range(4, len(headers) + 1):
            cell = ws.cell(row, col)
            cell.protection = Protection(locked=False)
            cell.fill = _EDIT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        status.add(f"D{row}")
        if figures:
            numbers.add(f"F{row}:{get_column_letter(len(headers))}{row}")
    for col, width in zip(range(1, len(headers) + 1), [10, 60, 18, 18, 50] + [16] * len(figures), strict=False):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    ws.protection.sheet = True  # rows, ids and task texts cannot be changed by mistake
    help_ws = wb.create_sheet(HELP)
    for r, line in enumerate(INSTRUCTIONS, 1):
        _put(help_ws, f"A{r}", line).font = Font(bold=(r == 1))
    help_ws.column_dimensions["A"].width = 100
    wb.properties.creator = "vanban"
    fixed = _dt.datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: how a clerk's typing is compared."""
    bare = "".join(
        c for c in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")) if not unicodedata.combining(c)
    )
    return " ".join(bare.lower().split())


_STATUS_BY_FOLD = {_fold(s): s for s in STATUSES}


def status_value(typed: str) -> str | None:
    """The status a clerk meant, whatever the case, diacritics or spacing; None if it is none of them.

    The one place that maps what is typed in the form to the status values of the model.
    """
    return _STATUS_BY_FOLD.get(_fold(typed))


_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
#: 1.200 / 1 200 / 12.345.678: Vietnamese thousands, by dots or (no-break) spaces, groups of three.
_GROUPED = re.compile(r"\d{1,3}(?:([.\s\u00a0\u202f])\d{3})(?:\1\d{3})*")


def _typed_date(text: str) -> _dt.date | None:
    m = _DMY.fullmatch(text)
    if m:
        day, month, year = map(int, m.groups())
    else:
        m = _ISO.fullmatch(text)
        if not m:
            return None
        year, month, day = map(int, m.groups())
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _typed_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if _GROUPED.fullmatch(text):
        return int("".join(c for c in text if c.isdigit()))
    return None


_ARITH = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)


def _arithmetic(formula: str) -> float | None:
    """The value of a formula of plain numbers (``=10+2``), which needs no spreadsheet to compute."""
    try:
        tree = ast.parse(formula.lstrip("="), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not all(isinstance(n, _ARITH) for n in ast.walk(tree)):
        return None
    if any(isinstance(n, ast.Constant) and not isinstance(n.value, (int, float)) for n in ast.walk(tree)):
        return None
    try:
        # Only numbers and + - * / remain (no power: 9**9**9 would never end), so eval is safe here.
        return eval(compile(tree, "<formula>", "eval"), {"__builtins__": {}})
    except (ArithmeticError, ValueError):
        return None


def _refuse_old_format(path: Path) -> None:
    if path.suffix.lower() in OTHER_SPREADSHEETS:
        raise LoadError(
            [
                Located(
                    str(path),
                    None,
                    None,
                    "",
                    _(
                        "a {suffix} spreadsheet cannot be read; open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook)",
                        suffix=path.suffix,
                    ),
                )
            ]
        )


def read_form(path: str | Path, plan: Plan | None, plan_name: str, ref: RefData) -> tuple[Progress, list[Located]]:
    """A filled form → :class:`Progress` and its warnings; raises :class:`LoadError` with every problem.

    Every cell is read in one pass and each problem is named by sheet and cell. What a clerk types
    the usual way (a status without diacritics, a date or a number typed as text) is read, with a
    warning. Without *plan* (``vanban validate`` without ``--plan``) the tasks are not checked
    against a plan.
    """
    path = Path(path)
    name = str(path)
    _refuse_old_format(path)
    problems: list[Located] = []

    def bad(cell: str, message: str, severity: str = "error") -> None:
        problems.append(Located(name, None, None, _("{value}!{cell}", value=SHEET, cell=cell), message, severity))

    try:
        # Read bounded: a device or FIFO named as a form, or a sheet inflating to gigabytes, is refused
        # before openpyxl builds a cell of it.
        packed = read_input(path, MAX_FORM_BYTES)
        with zipfile.ZipFile(io.BytesIO(packed)) as zf:
            parts = read_parts(zf, name, max_part=MAX_FORM_BYTES, max_total=2 * MAX_FORM_BYTES)
        wb = load_workbook(repack(parts), data_only=True)
        formulas = load_workbook(repack(parts))  # the same cells, with their formulas instead of the values Excel saved
    except InputError as exc:
        raise LoadError([Located(name, None, None, "", str(exc))]) from None
    except ZipLimitError as exc:
        raise LoadError([Located(name, None, None, "", str(exc).removeprefix(f"{name}: "))]) from None
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        # openpyxl's and zipfile's own words are English: the clerk is told what to do instead
        if isinstance(exc, zipfile.BadZipFile):
            why = _(
                "the file is not an .xlsx workbook (an older Excel format, or another file renamed): save it from Excel as .xlsx"
            )
        else:
            why = _("the workbook's parts are missing or damaged: open it in Excel and save it again as .xlsx")
        raise LoadError([Located(name, None, None, "", _("not a readable Excel workbook (.xlsx): {exc}", exc=why))]) from None
    if SHEET not in wb.sheetnames:
        raise LoadError(
            [
                Located(
                    name,
                    None,
                    None,
                    "",
                    _("sheet {value} is missing; use the form made by `vanban progress-form`", value=repr(SHEET)),
                )
            ]
        )
    ws, wsf = wb[SHEET], formulas[SHEET]
    # Only the cells the file holds are visited: one stray cell at XFD1048576 makes max_row × max_column
    # 17 billion, and openpyxl creates every cell it is asked for.
    held: dict[int, set[int]] = {}
    for sheet in (ws, wsf):
        for r, c in sheet._cells:  # noqa: SLF001 - the only way to list cells without creating the others
            held.setdefault(r, set()).add(c)
    last_col = min(max(max((c for r, c in ws._cells if r == HEADER_ROW), default=0), len(FIXED)), MAX_FORM_COLUMNS)  # noqa: SLF001
    headers = [_text(ws.cell(HEADER_ROW, c).value) for c in range(1, last_col + 1)]
    if FIXED[0] not in headers:
        raise LoadError(
            [
                Located(
                    name,
                    None,
                    None,
                    _("{value}!A{value2}", value=SHEET, value2=HEADER_ROW),
                    _("the header row was changed; expected: {value}", value=", ".join(FIXED)),
                )
            ]
        )

    # Columns are found by their heading, so a moved column is still read.
    cols: dict[str, int] = {}
    for col, text in enumerate(headers, 1):
        if not text:
            continue
        if text in cols:
            bad(
                f"{get_column_letter(col)}{HEADER_ROW}",
                _(
                    "column {text} appears twice (also in column {value}); delete one",
                    text=repr(text),
                    value=get_column_letter(cols[text]),
                ),
            )
            continue
        cols[text] = col
    for i, label in enumerate(FIXED, 1):
        if label not in cols:
            bad(
                f"{get_column_letter(i)}{HEADER_ROW}",
                _("column {label} is missing; use the form made by `vanban progress-form`", label=repr(label)),
            )
        elif cols[label] != i:
            bad(
                f"{get_column_letter(cols[label])}{HEADER_ROW}",
                _(
                    "column {label} was moved from {value} to {value2}; it was read by its heading",
                    label=repr(label),
                    value=get_column_letter(i),
                    value2=get_column_letter(cols[label]),
                ),
                "warning",
            )
    by_label = {f.heading: fid for fid, f in figures_of(plan, ref).items()}
    figure_cols = {}
    for text, col in cols.items():
        if text in FIXED:
            continue
        if text in by_label:
            figure_cols[col] = by_label[text]
        else:
            bad(
                f"{get_column_letter(col)}{HEADER_ROW}",
                _("unknown figure column {text}; restore its heading as in the form sent", text=repr(text)),
            )
    for text in by_label:
        if text not in cols:
            bad(
                f"A{HEADER_ROW}", _("figure column {text} is missing; its figures count as not given", text=repr(text)), "warning"
            )
    known_cols = set(cols.values())

    # A merged range keeps only its first cell: the other rows' results would vanish.
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if rng.max_row >= HEADER_ROW:
            bad(
                rng.coord,
                _("cells {value} are merged, so only the first one is read; unmerge them and fill each row", value=rng.coord),
            )
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min and dim.max and known_cols & set(range(dim.min, dim.max + 1)):
            first, last = get_column_letter(dim.min), get_column_letter(dim.max)
            where = first if first == last else f"{first}:{last}"
            bad(f"{where}", _("column(s) {where} are hidden; they were read: unhide them and check them", where=where), "warning")

    def value(row: int, col: int):
        """The value Excel saved (text checked as in a YAML file); for a formula saved without one,
        its value if it is plain arithmetic."""
        cached = ws.cell(row, col).value
        f = wsf.cell(row, col).value
        cell = f"{get_column_letter(col)}{row}"
        if isinstance(cached, str):
            return checked_text(cell, cached)
        if cached is not None or wsf.cell(row, col).data_type != "f":
            return cached
        text = f if isinstance(f, str) else getattr(f, "text", "") or ""
        computed = _arithmetic(text)
        if computed is None:
            bad(
                cell,
                _(
                    "formula {value} has no computed value in the file; type the value itself, or open the file in Excel and save it",
                    value=text,
                ),
            )
            return None
        if isinstance(computed, float) and computed.is_integer():
            computed = int(computed)
        bad(
            cell,
            _("formula {value} had no computed value in the file; it was computed as {computed}", value=text, computed=computed),
            "warning",
        )
        return computed

    def checked_text(cell: str, text: str) -> str:
        if len(text) > MAX_TEXT:
            bad(cell, _("text of {value:,} characters; the limit is {value2:,}", value=len(text), value2=MAX_TEXT))
            return text[:MAX_TEXT]
        controls = vn.control_characters(text)
        if controls:
            bad(
                cell,
                _(
                    "text contains control characters that cannot be printed ({codes})",
                    codes=", ".join(f"U+{ord(c):04X}" for c in controls),
                ),
            )
        text, fixes = vn.normalize(text)
        for fix in fixes:
            bad(cell, fix.describe(), "warning")
        for m in PLACEHOLDER.finditer(text):
            # A form is final once sent: a [[…]] left in it would be printed in the report.
            bad(cell, _("{value} is a place still to be completed; write the text itself", value=m.group(0)))
        return text

    unit_id = _text(value(3, 2))
    unit = ref.units.get(unit_id)
    if unit is None:
        bad(UNIT_CELL, _("unknown unit {unit_id}; do not change the unit id (Mã đơn vị)", unit_id=repr(unit_id)))
    reported = value(4, 2)
    if isinstance(reported, _dt.datetime):
        reported = reported.date()
    day = _typed_date(reported.strip()) if isinstance(reported, str) else None
    if day is not None:
        bad(
            DATE_CELL,
            _(
                "the report date {value} was typed as text; read as {day}",
                value=repr(reported),
                day=vn.citation_date(day.year, day.month, day.day),
            ),
            "warning",
        )
        reported = day
    if not isinstance(reported, _dt.date):
        if reported in (None, ""):
            bad(DATE_CELL, _("the report date (Ngày báo cáo) is empty; type it as day/month/year, e.g. 15/10/2025"))
        else:
            bad(
                DATE_CELL,
                _("the report date {value} is not a date; type it as day/month/year, e.g. 15/10/2025", value=repr(reported)),
            )
        reported = None

    tid_col = cols[FIXED[0]]
    status_col, done_col = cols.get(FIXED[3]), cols.get(FIXED[4])
    plan_tasks = {t.id for t in plan.tasks()} if plan is not None else None
    mine = {c.task.id for c in concerning_tasks(plan, unit)} if plan is not None and unit is not None else set()
    tasks: list[TaskProgress] = []
    seen: dict[str, int] = {}
    # The same slip on many rows (no status, 'hoan thanh' throughout) is said once, naming every cell.
    empty_status: list[int] = []
    read_as: dict[tuple[str, str], list[int]] = {}
    rows = sorted(r for r in held if r > HEADER_ROW)
    if len(rows) > MAX_FORM_ROWS:
        raise LoadError(
            [
                Located(
                    name,
                    None,
                    None,
                    SHEET,
                    _(
                        "the sheet has {value:,} filled rows; a form has at most {value2:,} (one per task)",
                        value=len(rows),
                        value2=MAX_FORM_ROWS,
                    ),
                )
            ]
        )
    for row in rows:
        values = {c: value(row, c) for c in sorted(held[row])}
        tid = _text(values.get(tid_col))
        if not tid:
            if any(_text(v) for v in values.values()):
                bad(
                    f"{get_column_letter(tid_col)}{row}",
                    _(
                        "row {row} has no task id (Mã nhiệm vụ); what it holds is not read: move it to the row of its task",
                        row=row,
                    ),
                )
            continue
        if ws.row_dimensions[row].hidden:
            bad(
                f"{get_column_letter(tid_col)}{row}",
                _("row {row} (task {tid}) is hidden; it was read: unhide it and check it", row=row, tid=tid),
                "warning",
            )
        for col in sorted(values):
            if col not in known_cols and _text(values[col]):
                bad(
                    f"{get_column_letter(col)}{row}",
                    _(
                        "{value} is outside the columns of the form and was not read; move it to the column it belongs to",
                        value=repr(_text(values[col])),
                    ),
                    "warning",
                )
        if tid in seen:
            bad(
                f"{get_column_letter(tid_col)}{row}",
                _("task {tid} is reported twice (first in row {value}); keep one row", tid=tid, value=seen[tid]),
            )
            continue
        seen[tid] = row
        if plan_tasks is not None and tid not in plan_tasks:
            bad(
                f"{get_column_letter(tid_col)}{row}",
                _("task {tid} does not exist in {plan_name}; do not change the task ids", tid=repr(tid), plan_name=plan_name),
            )
        elif plan is not None and unit is not None and tid not in mine:
            bad(
                f"{get_column_letter(tid_col)}{row}",
                _("task {task} of {plan_name} does not concern {name}", task=tid, plan_name=plan_name, name=unit.name),
                "warning",
            )
        status = None
        if status_col is not None:
            cell = f"{get_column_letter(status_col)}{row}"
            typed = _text(values.get(status_col))
            status = status_value(typed) if typed else None
            if not typed:
                empty_status.append(row)
            elif status is None:
                bad(
                    cell,
                    _(
                        "status {status} of task {tid} is not one of: {value}",
                        status=repr(typed),
                        tid=tid,
                        value=", ".join(STATUSES),
                    ),
                )
            elif status != typed:
                read_as.setdefault((typed, status), []).append(row)
        figures: dict[str, int] = {}
        for col, fid in figure_cols.items():
            raw = values.get(col)
            cell = f"{get_column_letter(col)}{row}"
            if isinstance(raw, str):
                typed = _text(raw)
                if not typed:
                    continue
                number = _typed_number(typed)
                if number is not None:
                    bad(
                        cell,
                        _(
                            "{value} of task {tid}: {typed} was typed as text; read as {number}",
                            value=headers[col - 1],
                            tid=tid,
                            typed=repr(typed),
                            number=number,
                        ),
                        "warning",
                    )
                    raw = number
            if raw is None:
                continue
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw > MAX_FIGURE:
                bad(
                    cell,
                    _(
                        "{value} of task {tid} must be ≤ {limit:,}, got {raw}",
                        value=headers[col - 1],
                        tid=tid,
                        limit=MAX_FIGURE,
                        raw=repr(raw),
                    ),
                )
            elif isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer() and raw >= 0:
                figures[fid] = int(raw)
            else:
                bad(
                    cell,
                    _(
                        "{value} of task {tid} must be a whole number ≥ 0, got {raw}",
                        value=headers[col - 1],
                        tid=tid,
                        raw=repr(raw),
                    ),
                )
        done = _text(values.get(done_col)) or None if done_col is not None else None
        if status is not None:
            tasks.append(TaskProgress(task=tid, status=status, done=done, figures=figures))
    if status_col is not None:
        letter = get_column_letter(status_col)
        if empty_status:
            bad(
                _cells(letter, empty_status), _("status (Trạng thái) is empty; choose one of: {value}", value=", ".join(STATUSES))
            )
        for (typed, status), rows in read_as.items():
            bad(_cells(letter, rows), _("status {typed} read as {status}", typed=repr(typed), status=repr(status)), "warning")
    for tid in sorted(mine - set(seen), key=_task_key):
        problems.append(Located(name, None, None, SHEET, _("task {id} is missing (was its row deleted?)", id=tid)))
    if not seen and not any(p.severity == "error" for p in problems):
        problems.append(Located(name, None, None, SHEET, _("no task row is filled in")))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise LoadError(errors + [p for p in problems if p.severity != "error"])
    return Progress(unit=unit_id, reported=reported, tasks=tasks), problems


def _cells(letter: str, rows: list[int]) -> str:
    """Rows 7, 8, 9, 12 of column D → ``D7:D9,D12`` (a list Excel's Go To box accepts)."""
    spans: list[list[int]] = []
    for row in rows:
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ",".join(f"{letter}{a}" if a == b else f"{letter}{a}:{letter}{b}" for a, b in spans)


def _task_key(tid: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in tid.split("."))


def form_title(plan: Plan, ref: RefData) -> str:
    return ref.citation(plan) + " — " + " ".join(plan.subject)


def return_sheet(path: Path, problems: list[Located], plan_title: str, ref: RefData) -> str:
    """The phiếu trả lại of a refused progress report: plain text, to attach to (or paste in) an e-mail.

    Each problem with its place (sheet!cell, or line of a YAML file); the messages say the fix.
    """
    unit = ref.units.get(path.stem.lower())
    lines = ["PHIẾU TRẢ LẠI BÁO CÁO TIẾN ĐỘ", "", f"Kế hoạch: {plan_title}"]
    if unit is not None:
        lines.append(f"Đơn vị: {unit.party.issuer if unit.party else unit.name} ({unit.id})")
    lines += [
        f"Tệp đã nhận: {path.name}",
        "",
        "Báo cáo của đơn vị chưa được tổng hợp vì còn các lỗi dưới đây. Đề nghị đơn vị sửa đúng các chỗ đã nêu "
        "ngay trên tệp đã gửi (không lập tệp mới) rồi gửi lại.",
        "",
    ]

    def where(p: Located) -> str:
        if p.line is not None:
            return f"dòng {p.line}" + (f" ({p.path})" if p.path else "")
        return p.path or "toàn tệp"

    for heading, severity in (("Lỗi phải sửa:", "error"), ("Cần kiểm tra lại (đã đọc được, không bắt buộc sửa):", "warning")):
        chosen = [p for p in problems if (p.severity == "error") == (severity == "error")]
        if chosen:
            lines.append(heading)
            lines += [f"{i}. {where(p)}: {p.message}" for i, p in enumerate(chosen, 1)]
            lines.append("")
    return "\n".join(lines)


@dataclass
class Table:
    """A sheet of a workbook made by :func:`tables_workbook`: a title line, a bold heading row, the rows."""

    sheet: str
    title: str
    head: list[str]
    rows: list[list[object]]
    widths: list[int]
    date_columns: tuple[int, ...] = ()


def table_workbook(
    sheet: str, title: str, head: list[str], rows: list[list[object]], widths: list[int], date_columns: tuple[int, ...] = ()
) -> bytes:
    """A one-sheet .xlsx of a table (a register, a board): a title line, a bold heading row, wrapped cells.

    Text cells are written as text, never as formulas (a subject beginning with ``=`` stays text)."""
    return tables_workbook([Table(sheet, title, head, rows, widths, date_columns)])


def tables_workbook(tables: list[Table]) -> bytes:
    """An .xlsx with one sheet per table, each as :func:`table_workbook` writes it.

    Written in openpyxl's write-only mode, row by row: a board of 500 units has some 11 000 rows."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        ws = wb.create_sheet(table.sheet[:31])  # Excel's limit on sheet names
        for col, width in enumerate(table.widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.append([_cell(ws, table.title)])
        ws.append([_cell(ws, text, font=bold) for text in table.head])
        for values in table.rows:
            ws.append([_cell(ws, value, alignment=wrap, date=col in table.date_columns) for col, value in enumerate(values, 1)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(ws, value: object, *, font: Font | None = None, alignment: Alignment | None = None, date: bool = False):
    """A cell of a write-only sheet; text stays text, never a formula (a subject beginning with ``=``)."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if date:
        cell.number_format = "DD/MM/YYYY"
    return cell
