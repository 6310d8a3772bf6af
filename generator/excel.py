"""Excel exchange with the units: a progress form to fill in, and reading it back.

The form (openpyxl) has the unit's tasks as locked rows, a drop-down for the status, whole-number
checks on the figures and instructions in Vietnamese. Reading a filled form validates every cell
and names the sheet, row and column of each problem, all at once.
"""

from __future__ import annotations

import datetime as _dt
import io
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import vn
from .derive import concerning_tasks
from .loader import Located, LoadError
from .model import STATUSES, Plan, Progress, TaskProgress
from .refdata import RefData, Unit
from .i18n import _

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


def write_form(plan: Plan, unit: Unit, ref: RefData, plan_title: str) -> bytes:
    """The unit's progress form for *plan*, as .xlsx bytes (deterministic for the same input)."""
    tasks = [c.task for c in concerning_tasks(plan, unit)]
    if not tasks:
        raise ValueError(_('no task of the plan concerns unit {id} ({name})', id=repr(unit.id), name=unit.name))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"], ws["B2"] = "Kế hoạch:", plan_title
    ws["A3"], ws[UNIT_CELL] = "Mã đơn vị:", unit.id
    ws["C3"] = unit.party.issuer if unit.party else unit.name
    ws["A4"], ws[DATE_CELL] = "Ngày báo cáo:", None
    ws[DATE_CELL].number_format = "DD/MM/YYYY"
    ws[DATE_CELL].protection = Protection(locked=False)
    ws[DATE_CELL].fill = _EDIT
    dates = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                           showErrorMessage=True, errorTitle="Ngày không hợp lệ", error="Ghi ngày dạng ngày/tháng/năm.")
    ws.add_data_validation(dates)
    dates.add(DATE_CELL)
    figures = list(ref.figures.items())
    headers = FIXED + [f"{f.label} ({f.unit})" for _fid, f in figures]
    for col, text in enumerate(headers, 1):
        cell = ws.cell(HEADER_ROW, col, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False, showErrorMessage=True,
                            errorTitle="Trạng thái không hợp lệ", error="Chọn: " + ", ".join(STATUSES))
    numbers = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                             showErrorMessage=True, errorTitle="Số liệu không hợp lệ", error="Ghi số nguyên không âm.")
    ws.add_data_validation(status)
    ws.add_data_validation(numbers)
    for i, task in enumerate(tasks):
        row = HEADER_ROW + 1 + i
        ws.cell(row, 1, task.id).number_format = "@"
        ws.cell(row, 2, task.text).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row, 3, task.timeframe).alignment = Alignment(wrap_text=True, vertical="top")
        for col in range(4, len(headers) + 1):
            cell = ws.cell(row, col)
            cell.protection = Protection(locked=False)
            cell.fill = _EDIT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        status.add(f"D{row}")
        if figures:
            numbers.add(f"F{row}:{get_column_letter(len(headers))}{row}")
    for col, width in zip(range(1, len(headers) + 1), [10, 60, 18, 18, 50] + [16] * len(figures)):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    ws.protection.sheet = True  # rows, ids and task texts cannot be changed by mistake
    help_ws = wb.create_sheet(HELP)
    for r, line in enumerate(INSTRUCTIONS, 1):
        help_ws.cell(r, 1, line).font = Font(bold=(r == 1))
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


def read_form(path: str | Path, plan: Plan, plan_name: str, ref: RefData) -> tuple[Progress, list[Located]]:
    """A filled form → :class:`Progress`; raises :class:`LoadError` naming sheet, row and column."""
    from .rollup import check_progress

    path = Path(path)
    name = str(path)
    problems: list[Located] = []

    def bad(cell: str, message: str, severity: str = "error") -> None:
        problems.append(Located(name, None, None, _('{value}!{cell}', value=SHEET, cell=cell), message, severity))

    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise LoadError([Located(name, None, None, "", _('not a readable Excel workbook (.xlsx): {exc}', exc=exc))]) from None
    if SHEET not in wb.sheetnames:
        raise LoadError([Located(name, None, None, "", _('sheet {value} is missing; use the form made by `vanban progress-form`', value=repr(SHEET)))])
    ws = wb[SHEET]
    headers = [_text(ws.cell(HEADER_ROW, c).value) for c in range(1, ws.max_column + 1)]
    if headers[: len(FIXED)] != FIXED:
        raise LoadError([Located(name, None, None, _('{value}!A{value2}', value=SHEET, value2=HEADER_ROW), _('the header row was changed; expected: {value}', value=', '.join(FIXED)))])
    by_label = {f"{f.label} ({f.unit})": fid for fid, f in ref.figures.items()}
    figure_cols = {}
    for col, text in enumerate(headers[len(FIXED):], len(FIXED) + 1):
        if text in by_label:
            figure_cols[col] = by_label[text]
        elif text:
            bad(_('{value}{value2}', value=get_column_letter(col), value2=HEADER_ROW), _('unknown figure column {text}', text=repr(text)))

    unit_id = _text(ws[UNIT_CELL].value)
    unit = ref.units.get(unit_id)
    if unit is None:
        bad(UNIT_CELL, _('unknown unit {unit_id}', unit_id=repr(unit_id)))
    reported = ws[DATE_CELL].value
    if isinstance(reported, _dt.datetime):
        reported = reported.date()
    if not isinstance(reported, _dt.date):
        bad(DATE_CELL, _("the report date (Ngày báo cáo) is empty or not a date") if reported in (None, "") else _("{value} is not a date", value=repr(reported)))
        reported = None

    tasks: list[TaskProgress] = []
    seen: set[str] = set()
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        tid = _text(ws.cell(row, 1).value)
        values = [ws.cell(row, c).value for c in range(1, len(headers) + 1)]
        if not tid:
            if any(_text(v) for v in values):
                bad(_('A{row}', row=row), _('row has no task id (Mã nhiệm vụ)'))
            continue
        seen.add(tid)
        status = _text(ws.cell(row, 4).value).lower()
        if not status:
            bad(_('D{row}', row=row), _('status (Trạng thái) of task {tid} is empty; choose one of: {value}', tid=tid, value=', '.join(STATUSES)))
            continue
        if status not in STATUSES:
            bad(_('D{row}', row=row), _('status {status} of task {tid} is not one of: {value}', status=repr(status), tid=tid, value=', '.join(STATUSES)))
            continue
        figures = {}
        for col, fid in figure_cols.items():
            raw = ws.cell(row, col).value
            if raw in (None, ""):
                continue
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer() and raw >= 0:
                figures[fid] = int(raw)
            else:
                bad(_('{value}{row}', value=get_column_letter(col), row=row), _('{value} of task {tid} must be a whole number ≥ 0, got {raw}', value=headers[col - 1], tid=tid, raw=repr(raw)))
        done = _text(ws.cell(row, 5).value) or None
        tasks.append(TaskProgress(task=tid, status=status, done=done, figures=figures))
    if unit is not None:
        for c in concerning_tasks(plan, unit):
            if c.task.id not in seen:
                problems.append(Located(name, None, None, SHEET, _('task {id} is missing (was its row deleted?)', id=c.task.id)))
    if not tasks and not problems:
        problems.append(Located(name, None, None, SHEET, _('no task row is filled in')))
    if any(p.severity == "error" for p in problems):
        raise LoadError(problems)
    progress = Progress(unit=unit_id, reported=reported, tasks=tasks)
    more = check_progress(progress, plan, plan_name, ref)
    located = [Located(name, None, None, _('{value} ({dotted})', value=SHEET, dotted=p.dotted), p.message, p.severity) for p in more]
    if any(p.severity == "error" for p in located):
        raise LoadError(located)
    return progress, located


def form_title(plan: Plan, ref: RefData) -> str:
    doc_type = ref.doc_type(plan.type)
    h = plan.header
    return vn.citation(doc_type.name, doc_type.code, h.number, h.issuer_code, h.date.year, h.date.month, h.date.day) + " — " + " ".join(plan.subject)
