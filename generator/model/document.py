"""The document model: one typed tree for a Party plan, independent of YAML and DOCX.

Readers (``generator.io.loader``) build it; transforms and writers (``generator.render.engine``) read it.
Field names are English; docstrings give the Vietnamese term of 36-HD/VPTW and the ô (cell)
of its layout grid, so that a reader can map each field to the printed page.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from generator.lang.i18n import _

Text = Annotated[str, Field(min_length=1)]


def _one_or_many(value: Any) -> Any:
    """Let YAML write a single item where a list is expected (``lead: Cục Chính trị - Tổ chức``)."""
    return [value] if isinstance(value, str) else value


Lines = Annotated[list[Text], BeforeValidator(_one_or_many, json_schema_input_type=str | list[str])]


def _id_text(value: Any) -> Any:
    """``id: 1`` in YAML is the number 1; an id is text, so take it as written."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Id = Annotated[Text, BeforeValidator(_id_text, json_schema_input_type=str | int)]


#: A body table's size limits (a roster of a large đảng bộ fits; a typing slip does not).
MAX_TABLE_COLUMNS = 20
MAX_TABLE_ROWS = 2000

#: Heading numbers a document may choose, as a clerk writes them: the first heading of the level.
_NUMBER_EXAMPLES = {"I": "{roman}", "1": "{n}", "a": "{alpha}", "A": "{alpha_upper}"}
_NUMBER_FORMAT = re.compile(
    r"(?:[^{}]|\{(?:n|roman|alpha|alpha_upper)\})*\{(?:n|roman|alpha|alpha_upper)\}(?:[^{}]|\{(?:n|roman|alpha|alpha_upper)\})*"
)


def _number_format(value: Any) -> Any:
    """``"I."`` → ``"{roman}."``, ``"1."`` → ``"{n}."``, ``"a)"`` → ``"{alpha})"``; a format like the profile's is kept."""
    if not isinstance(value, str):
        raise ValueError(_('write a heading number in quotes, like "I.", "1." or "a)"; got {got}', got=repr(value)))
    text = value.strip()
    m = re.fullmatch(r"(I|1|a|A)([.)\-–]?)", text)
    if m:
        return _NUMBER_EXAMPLES[m[1]] + m[2]
    if _NUMBER_FORMAT.fullmatch(text):
        return text
    raise ValueError(_('a heading number is written like "I.", "I-", "1.", "a)" or "A-"; got {got}', got=repr(value)))


Numbering = Annotated[
    list[Annotated[str, BeforeValidator(_number_format, json_schema_input_type=str)]], Field(min_length=1, max_length=4)
]


class Model(BaseModel):
    """Base: unknown keys are errors, values are checked on assignment too."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


@dataclass(frozen=True)
class PartialDate:
    """A date whose day (or day and month: a form dated only by its year) may still be blank (the văn thư writes
    it on signing)."""

    year: int
    month: int | None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.month is None:
            if self.day is not None:
                raise ValueError(_("a date with a day needs its month"))
            return
        if not 1 <= self.month <= 12:
            raise ValueError(_("month must be 1–12, got {month}", month=self.month))
        if self.day is not None:
            _dt.date(self.year, self.month, self.day)  # raises on 31/2 etc.

    def as_date(self) -> _dt.date | None:
        return None if self.day is None or self.month is None else _dt.date(self.year, self.month, self.day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        base = f"{self.year:04d}-{self.month:02d}"
        return base if self.day is None else f"{base}-{self.day:02d}"


def _parse_partial_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return PartialDate(value, None)
    if isinstance(value, str):
        parts = value.strip().split("-")
        if len(parts) == 1 and len(parts[0]) == 4 and parts[0].isdigit():
            return PartialDate(int(parts[0]), None)
        if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
            try:
                return PartialDate(*(int(p) for p in parts))
            except ValueError as exc:
                raise ValueError(_("not a real date: {exc}", exc=exc)) from None
    raise ValueError(_("expected a date as YYYY-MM-DD, YYYY-MM when the day is left blank, or YYYY for the year alone"))


DateMaybeBlankDay = Annotated[
    PartialDate,
    BeforeValidator(_parse_partial_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
            "description": "YYYY-MM-DD, YYYY-MM when the day is left blank for the văn thư, YYYY for the year alone",
        }
    ),
]


class Marks(Model):
    """Optional elements of page 1 (thành phần bổ sung, ô 10–11)."""

    secrecy: Literal["MẬT", "TỐI MẬT", "TUYỆT MẬT"] | None = Field(None, description="Độ mật (ô 10a)")
    urgency: Literal["KHẨN", "THƯỢNG KHẨN", "HỎA TỐC", "HỎA TỐC HẸN GIỜ"] | None = Field(None, description="Độ khẩn (ô 10b)")
    circulation: str | None = Field(None, description="Phạm vi lưu hành (ô 11a), e.g. 'Lưu hành nội bộ'")
    draft: bool | Text = Field(False, description="Dự thảo (ô 11b): true prints 'DỰ THẢO', or give the words ('Dự thảo lần 2')")


class Header(Model):
    """The header block: ô 2 (issuing body), ô 3 (number), ô 4 (place and date)."""

    superior: Text | None = Field(
        None, description="Tên cơ quan cấp trên trực tiếp, e.g. 'Đảng bộ Quân đội' (printed upper case)"
    )
    issuer: Text = Field(description="Tên cơ quan ban hành as written in running text, e.g. 'Đảng ủy Ban Cơ yếu Chính phủ'")
    issuer_code: Text = Field(description="Issuer part of the ký hiệu, e.g. 'ĐUB'")
    number: int | None = Field(None, ge=1, description="Số; leave empty while the văn thư has not given one ('Số    -KH/ĐUB')")
    place: Text = Field(description="Địa danh, e.g. 'Hà Nội'")
    date: DateMaybeBlankDay | None = Field(
        description="Ngày ban hành; YYYY-MM leaves the day blank, YYYY day and month; null: a document with no date at all "
        "(no place and date line)"
    )
    marks: Marks = Field(default_factory=Marks)


class TableCell(Model):
    """A cell of a body table; ``span`` merges it with the cells to its right, ``rows`` with those below."""

    text: str = Field("", description="What the cell says; a line break starts a new paragraph")
    span: int = Field(1, ge=1, le=MAX_TABLE_COLUMNS, description="Columns this cell covers")
    rows: int = Field(1, ge=1, le=MAX_TABLE_ROWS, description="Rows this cell covers, downwards")
    bold: bool = False
    align: Literal["left", "center", "right", "justify"] | None = Field(
        None, description="Alignment; default centred in header rows, left elsewhere"
    )


def _cell(value: Any) -> Any:
    """A cell may be written as its text alone (a number is taken as written)."""
    if isinstance(value, bool):
        return value
    return {"text": str(value)} if isinstance(value, str | int | float) else value


Cell = Annotated[TableCell, BeforeValidator(_cell, json_schema_input_type=str | TableCell)]


class BodyTable(Model):
    """A table in the body (a programme of activities, a roster, a figures table): header rows repeated on every
    page, column widths in mm, cells merged across (``span``) and down (``rows``)."""

    caption: Text | None = Field(None, description="A line above the table, bold and centred")
    widths: list[Annotated[float, Field(gt=0, le=300)]] | None = Field(
        None, description="Column widths in mm; default: the text width shared equally"
    )
    header: list[list[Cell]] = Field(default_factory=list, description="Header rows: bold, centred, repeated on every page")
    rows: Annotated[list[list[Cell]], Field(min_length=1, max_length=MAX_TABLE_ROWS)]

    def grid(self) -> list[list[tuple[TableCell, int, bool]]]:
        """Every row as (cell, first column, continues a merge from above), header rows first; raises ValueError
        when a row does not fill the columns or a merge runs past the table."""
        all_rows = self.header + self.rows
        columns = len(self.widths) if self.widths else sum(c.span for c in all_rows[0])
        below: dict[int, tuple[TableCell, int]] = {}  # column → (cell merging down, rows still covered)
        out: list[list[tuple[TableCell, int, bool]]] = []
        for r, row in enumerate(all_rows):
            cells = iter(row)
            line: list[tuple[TableCell, int, bool]] = []
            col = 0
            while col < columns:
                if col in below:
                    cell, left = below.pop(col)
                    line.append((cell, col, True))
                    if left > 1:
                        below[col] = (cell, left - 1)
                    col += cell.span
                    continue
                new = next(cells, None)
                if new is None:
                    break
                line.append((new, col, False))
                if new.rows > 1:
                    below[col] = (new, new.rows - 1)
                col += new.span
            extra = sum(c.span for c in cells)
            if col != columns or extra:
                raise ValueError(
                    _(
                        "row {row} of the table fills {value} columns; the table has {value2}",
                        row=r + 1,
                        value=col + extra,
                        value2=columns,
                    )
                )
            out.append(line)
        if below:
            raise ValueError(_("a cell merges down past the last row of the table"))
        return out

    @model_validator(mode="after")
    def _fills_its_columns(self) -> BodyTable:
        if len(self.header) + len(self.rows) > MAX_TABLE_ROWS:
            raise ValueError(_("a table has at most {value} rows", value=MAX_TABLE_ROWS))
        self.grid()
        return self


class Section(Model):
    """A numbered part of the body: level 1 ``I.``, level 2 ``1.``, level 3 ``a)``."""

    title: Text = Field(description="Heading without its number; level 1 is printed upper case")
    note: Text | None = Field(None, description="Words after the heading, e.g. '(Chi tiết tại Phụ lục kèm theo)'")
    paragraphs: list[Text] = Field(default_factory=list)
    bullets: list[Text] = Field(default_factory=list, description="Lines printed with a leading '- '")
    tables: list[BodyTable] = Field(default_factory=list, description="Tables printed after the paragraphs and bullets")
    sections: list[Section] = Field(default_factory=list)
    assignments: list[Assignment] = Field(
        default_factory=list,
        description="'Tổ chức thực hiện': one numbered item per unit with what it must do",
    )

    @model_validator(mode="after")
    def _one_kind_of_children(self) -> Section:
        if self.sections and self.assignments:
            raise ValueError(_("a section has either sub-sections or assignments, not both"))
        return self


class Assignment(Model):
    """Who must do what (Tổ chức thực hiện): ``1. Cục Chính trị - Tổ chức`` + its duties."""

    unit: Text = Field(description="The unit or group of units, as printed")
    duties: Lines = Field(description="Paragraphs stating the unit's duties")


class ReportInstruction(Model):
    """The reporting sentence that closes a plan: báo cáo WHAT về TO (qua VIA) trước ngày DEADLINE."""

    lead: Text | None = Field(None, description="Words before ', báo cáo …'")
    what: Text = Field(description="What is reported, e.g. 'kết quả quán triệt'")
    to: Text = Field(description="Whom it is reported to")
    via: Text | None = Field(None, description="Through whom (printed in parentheses)")
    deadline: _dt.date


class Closing(Model):
    paragraphs: list[Text] = Field(default_factory=list)
    report: ReportInstruction | None = None


class Task(Model):
    """One row of the appendix table."""

    id: Id = Field(description="Stable id that reports refer to, e.g. '1.1'")
    text: Text = Field(description="Nhiệm vụ, giải pháp")
    lead: Lines = Field(description="Cơ quan chủ trì (one or more)")
    units: Lines = Field(description="Cơ quan, đơn vị thực hiện (one or more)")
    coordinating: list[Text] = Field(default_factory=list, description="Cơ quan phối hợp (optional)")
    timeframe: Text = Field(description="Thời gian, as written: 'Quý III/2025', 'Thường xuyên' …")
    parent: Id | None = Field(None, description="In a derived plan: the id of the task it implements in the parent plan")


class TaskGroup(Model):
    id: Id = Field(description="Group number, e.g. '1'")
    title: Text
    tasks: list[Task] = Field(min_length=1)


class Columns(Model):
    """Column headings of the appendix table."""

    id: Text = "TT"
    task: Text = "Nhiệm vụ, giải pháp"
    lead: Text = "Cơ quan chủ trì"
    units: Text = "Cơ quan, đơn vị thực hiện"
    timeframe: Text = "Thời gian"


class Appendix(Model):
    label: Text = Field("Phụ lục", description="'Phụ lục', or 'Phụ lục 1' when there are several")
    title: Text = Field(description="Printed upper case")
    columns: Columns = Field(default_factory=Columns)
    groups: list[TaskGroup] = Field(min_length=1)

    def tasks(self) -> list[Task]:
        return [t for g in self.groups for t in g.tasks]


class Recipient(Model):
    """A line of Nơi nhận (ô 9b)."""

    to: Text
    note: Text | None = Field(None, description="Purpose without parentheses: 'để b/c', 'để c/đ'")
    end: Literal[",", ";", "."] | None = Field(None, description="Line ending when it differs from the profile's separator")


def _recipient(value: Any) -> Any:
    return {"to": value} if isinstance(value, str) else value


#: Nơi nhận of a document that may have none (a Biên bản, a document issued with a Quyết định).
OptionalRecipients = list[Annotated[Recipient, BeforeValidator(_recipient, json_schema_input_type=str | Recipient)]]


class SignOff(Model):
    """Ô 7a–7c."""

    form: Text | None = Field(
        None, description="Quyền hạn; empty when the head signs in his or her own name"
    )  # one of data/signing-forms.yaml that the rule profile accepts: checked by check()
    authority: Text | None = Field(None, description="After the form: 'Ban Thường vụ' (T/M), 'Trưởng ban' (K/T) …")
    position: Text = Field(description="Chức vụ người ký, e.g. 'Bí thư'")
    name: Text = Field(description="Họ tên người ký")

    @model_validator(mode="after")
    def _form_needs_authority(self) -> SignOff:
        if (self.form is None) != (self.authority is None):
            raise ValueError(_("give both 'form' and 'authority', or neither"))
        return self


class Distribution(Model):
    """Ô 12: typist and number of copies, printed ``Th-40.``."""

    typist: Text
    copies: int = Field(ge=1)


class Dropped(Model):
    """A task of the parent plan that concerns the unit but that this plan leaves out, and why."""

    task: Id
    reason: Text


class Source(Model):
    """Where a derived plan comes from: checked against the parent by ``vanban validate``."""

    plan: Text = Field(description="The parent plan's YAML file, relative to this file")
    unit: Text = Field(description="Unit id in data/units/ this plan was derived for")
    dropped: list[Dropped] = Field(default_factory=list)


#: A place the author must still fill in: ``[[họ tên người ký]]``. Such a plan renders only as a draft.
#: The largest figure a unit may report (a count of meetings, people…); larger ones are typing slips
#: (1e300) that the report's number formatting cannot print.
MAX_FIGURE = 10**12

PLACEHOLDER = re.compile(r"\[\[(.+?)\]\]")


class Document(Model):
    """What every Party document of the toolkit has: header, title, body, closing block."""

    type: Text = Field("ke-hoach", description="Document type id from data/document-types.yaml")
    profile: Text = Field("hd36-2018", description="Rule profile id from data/rules/")
    header: Header
    subject: Lines = Field(description="Trích yếu; several items print on separate lines")
    title_lines: Lines = Field(
        default_factory=list,
        description="Lines printed upper case between the tên loại and the trích yếu: 'Của Ban Chấp hành Đảng bộ tỉnh', "
        "'Hội nghị lần thứ bảy'",
    )
    numbering: Numbering | None = Field(
        None, description="Heading numbers by level, overriding the rule profile's: ['I.', '1.', 'a)'] or ['I-', '1.', 'a)']"
    )
    preamble: list[Text] = Field(default_factory=list, description="Căn cứ / lead-in paragraphs")
    points: list[Text] = Field(
        default_factory=list, description="A flat numbered list after the opening paragraphs, printed '1. …', '2. …'"
    )
    sections: list[Section] = Field(default_factory=list)
    closing: Closing | None = None
    recipients: list[Annotated[Recipient, BeforeValidator(_recipient, json_schema_input_type=str | Recipient)]] = Field(
        default_factory=list, description="Nơi nhận; none on a form or a document that has no Nơi nhận"
    )
    archive: Lines = Field(default_factory=list, description="Who keeps the file copy: 'Văn phòng Đảng ủy' or 'VT, CTTC'")
    signoff: SignOff | None = Field(None, description="Ô 7a–7c; none on a form the unit signs itself")
    cosigner: SignOff | None = Field(
        None, description="A second signer, printed on the left beside the first (a joint document); Nơi nhận goes below"
    )
    signers: list[SignOff] = Field(
        default_factory=list,
        description="Three or more signers (a joint document, a Biên bản signed by three): printed two a row, left "
        "then right, in this order; instead of 'signoff' and 'cosigner'",
    )
    distribution: Distribution | None = None

    @model_validator(mode="after")
    def _signers_or_signoff(self) -> Document:
        if self.signers and (self.signoff is not None or self.cosigner is not None):
            raise ValueError(_("give 'signers' (every signer, in order) or 'signoff' and 'cosigner', not both"))
        return self

    def all_signers(self) -> list[SignOff]:
        """Every signer in the order printed (two a row, left then right): ``signers``, else the cosigner (left)
        and the signer (right)."""
        if self.signers:
            return list(self.signers)
        return [s for s in (self.cosigner, self.signoff) if s is not None]

    def tasks(self) -> list[Task]:
        return []

    def structure_problems(self) -> list[Problem]:
        """What this shape of document must hold together (ids used once …); none in general."""
        return []

    def as_draft(self):
        """The same document marked DỰ THẢO (keeps a more specific draft wording if one is set)."""
        if self.header.marks.draft:
            return self
        marks = self.header.marks.model_copy(update={"draft": True})
        return self.model_copy(update={"header": self.header.model_copy(update={"marks": marks})})


_PLAN_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?$")


def plan_years(value: str) -> tuple[int, int]:
    """``"2027"`` → (2027, 2027); ``"2025-2030"`` → (2025, 2030)."""
    m = _PLAN_PERIOD.match(value)
    if not m:
        raise ValueError(_("a plan period is a year or two years, like 2027 or 2025-2030; got {got}", got=repr(value)))
    first, last = int(m[1]), int(m[2] or m[1])
    if last < first:
        raise ValueError(_("the period {got} ends before it starts", got=repr(value)))
    return first, last


def _plan_period(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        first, last = plan_years(value)
        return str(first) if first == last else f"{first}-{last}"
    return value


class PlanFigure(Model):
    """A figure the secretariat asks the units for on this plan: its id, what is counted and the unit of count."""

    id: Id = Field(description="The figure's id, as progress files key its count, e.g. so-buoi-quan-triet")
    label: Text = Field(description="What is counted, e.g. 'Số buổi quán triệt'")
    unit: Text | None = Field(None, description="The unit of count, e.g. 'buổi'")


class Plan(Document):
    """A Kế hoạch (or any document of the same shape) as data."""

    model_config = ConfigDict(title="vanban plan", extra="forbid", validate_assignment=True)

    appendix: Appendix | None = None
    source: Source | None = Field(None, description="Set in plans made by `vanban derive`")
    period: Annotated[str, BeforeValidator(_plan_period, json_schema_input_type=str | int)] | None = Field(
        None, description="The years the plan covers, 2027 or 2025-2030: 'Hằng năm' tasks are due at the end of each"
    )
    figures: list[PlanFigure] = Field(
        default_factory=list,
        description="The figures the secretariat asks for on this plan; none given: those of data/figures.yaml",
    )

    def tasks(self) -> list[Task]:
        return self.appendix.tasks() if self.appendix else []

    def structure_problems(self) -> list[Problem]:
        """Group and task ids are each used once: reports and derived plans refer to tasks by id."""
        problems: list[Problem] = []
        seen_figures: dict[str, int] = {}
        for fi, fig in enumerate(self.figures):
            if fig.id in seen_figures:
                problems.append(
                    Problem(
                        ("figures", fi, "id"),
                        _(
                            "figure id {id} is used twice (first at figures.{value})",
                            id=repr(fig.id),
                            value=seen_figures[fig.id],
                        ),
                    )
                )
            seen_figures.setdefault(fig.id, fi)
        if not self.appendix:
            return problems
        seen_groups: dict[str, int] = {}
        seen_tasks: dict[str, tuple[int, int]] = {}
        for gi, group in enumerate(self.appendix.groups):
            gpath = ("appendix", "groups", gi)
            if group.id in seen_groups:
                problems.append(
                    Problem(
                        gpath + ("id",),
                        _(
                            "group id {id} is used twice (first at appendix.groups.{value})",
                            id=repr(group.id),
                            value=seen_groups[group.id],
                        ),
                    )
                )
            seen_groups.setdefault(group.id, gi)
            for ti, task in enumerate(group.tasks):
                tpath = gpath + ("tasks", ti, "id")
                if task.id in seen_tasks:
                    fg, ft = seen_tasks[task.id]
                    problems.append(
                        Problem(
                            tpath,
                            _(
                                "task id {id} is used twice (first at appendix.groups.{fg}.tasks.{ft})",
                                id=repr(task.id),
                                fg=fg,
                                ft=ft,
                            ),
                        )
                    )
                else:
                    seen_tasks[task.id] = (gi, ti)
        return problems


# --------------------------------------------------------------------------- progress and reports

#: Status ids (labels in data/statuses.yaml); files may give the id or the label.
STATUS_IDS: tuple[str, ...] = ("done", "in-progress", "not-started")
NO_REPORT = "no-report"


class Vocabulary(Protocol):
    """Where status and period ids get their words: ``data/statuses.yaml``, read by :mod:`generator.io.refdata`,
    which hands itself to the model with :func:`use_vocabulary` (the model reads no file)."""

    def statuses(self) -> dict[str, str]: ...

    def status_id(self, value: str, *, report: bool = False) -> str | None: ...

    def period_id(self, value: str) -> str | None: ...

    def periods(self) -> dict[str, str]: ...


_vocabulary: list[Vocabulary] = []


def use_vocabulary(vocabulary: Vocabulary) -> None:
    """Let files give statuses and periods by their words as well as by their ids."""
    _vocabulary[:] = [vocabulary]


def _words() -> Vocabulary | None:
    return _vocabulary[0] if _vocabulary else None


def __getattr__(name: str):
    # STATUSES: the labels a person types or picks (the Excel form's drop-down), from the data file.
    if name == "STATUSES":
        words = _words()
        return tuple(label for sid, label in words.statuses().items() if sid != NO_REPORT) if words else STATUS_IDS
    raise AttributeError(name)


def _status_of(report: bool):
    def to_id(value: Any) -> Any:
        words = _words()
        if not isinstance(value, str) or words is None:
            return value
        sid = words.status_id(value, report=report)
        if sid is None:
            shown = {k: v for k, v in words.statuses().items() if report or k != NO_REPORT}
            raise ValueError(
                _(
                    "expected one of: {labels} (or the ids {ids}), got {got}",
                    labels=", ".join(shown.values()),
                    ids=", ".join(shown),
                    got=repr(value),
                )
            )
        return sid

    return to_id


Status = Annotated[Literal["done", "in-progress", "not-started"], BeforeValidator(_status_of(False))]
ReportStatus = Annotated[Literal["done", "in-progress", "not-started", "no-report"], BeforeValidator(_status_of(True))]


def _period_id(value: Any) -> Any:
    words = _words()
    if not isinstance(value, str) or words is None:
        return value
    pid = words.period_id(value)
    if pid is None:  # the periods are data (data/statuses.yaml and the office's own): name them
        periods = words.periods()
        raise ValueError(
            _(
                "expected one of: {labels} (or the ids {ids}), got {got}",
                labels=", ".join(periods.values()),
                ids=", ".join(periods),
                got=repr(value),
            )
        )
    return pid


#: A report's period: an id of data/statuses.yaml's ``periods`` (``so-ket``, ``tong-ket``, ``hang-nam`` …).
PeriodId = Annotated[str, BeforeValidator(_period_id)]


class TaskProgress(Model):
    """What one unit reports on one task of the plan."""

    task: Id = Field(description="The plan's task id, e.g. '1.1'")
    status: Status = Field(description="done, in-progress, not-started (or hoàn thành, đang thực hiện, chưa thực hiện)")
    done: Text | None = Field(None, description="What was done, in the unit's words")
    figures: dict[str, Annotated[int, Field(ge=0, le=MAX_FIGURE)]] = Field(
        default_factory=dict, description="Counts by figure id of data/figures.yaml, e.g. so-buoi-quan-triet: 3"
    )


class Progress(Model):
    """One unit's progress report on a plan."""

    model_config = ConfigDict(title="vanban progress", extra="forbid")

    unit: Text = Field(description="Unit id from data/units/")
    reported: _dt.date = Field(description="Date the unit sent its report")
    tasks: list[TaskProgress] = Field(min_length=1)


class UnitStatus(Model):
    """One unit's status on a task, as the report's appendix lists it."""

    unit: Text = Field(description="The unit's name, as printed")
    status: ReportStatus


class StatusRow(Model):
    id: Id
    text: Text
    lead: Lines
    timeframe: Text
    units: list[UnitStatus | Text] = Field(
        default_factory=list,
        description="Each unit and its status (printed grouped by status), or a line of text printed as written",
    )
    overall: ReportStatus = Field(description="The task's status over all units (an id or its label)")
    overdue: bool = Field(False, description="Printed '(quá hạn)' after the status")

    @model_validator(mode="before")
    @classmethod
    def _overdue_in_words(cls, data: Any) -> Any:
        # Reports written before status ids kept "đang thực hiện (quá hạn)" in one field.
        if isinstance(data, dict) and isinstance(data.get("overall"), str) and data["overall"].rstrip().endswith("(quá hạn)"):
            data = {**data, "overall": data["overall"].rstrip()[: -len("(quá hạn)")].strip(), "overdue": True}
        return data


class StatusGroup(Model):
    id: Id
    title: Text
    rows: list[StatusRow] = Field(min_length=1)


class StatusColumns(Model):
    id: Text = "TT"
    task: Text = "Nhiệm vụ, giải pháp"
    lead: Text = "Cơ quan chủ trì"
    timeframe: Text = "Thời gian"
    units: Text = "Tình hình thực hiện của các đơn vị"
    overall: Text = "Kết quả chung"


class StatusAppendix(Model):
    """The report's appendix: every task of the plan with its status per unit and overall."""

    label: Text = "Phụ lục"
    title: Text
    columns: StatusColumns = Field(default_factory=StatusColumns)
    groups: list[StatusGroup] = Field(min_length=1)
    chart: bool = Field(True, description="Add a chart of task counts by status for each group")


class Basis(Model):
    """What a report was rolled up from."""

    plan: Text = Field(description="The plan's YAML file, relative to this file")
    period: PeriodId = Field(
        description="A period id of data/statuses.yaml: so-ket, tong-ket, hang-nam, so-ket-6-thang, dot-xuat or the "
        "office's own (or its words: sơ kết, hằng năm …)"
    )
    as_of: _dt.date


class Report(Document):
    """A Báo cáo (sơ kết / tổng kết) on a plan, editable before it is rendered."""

    model_config = ConfigDict(title="vanban report", extra="forbid", validate_assignment=True)

    type: Text = Field("bao-cao", description="Document type id from data/document-types.yaml")
    appendix: StatusAppendix | None = None
    basis: Basis | None = None


class Letter(Document):
    """A Công văn or a Tờ trình: addressed to someone (``Kính gửi:``), its body paragraphs with or without a
    flat numbered list, optionally numbered sections. A Công văn prints its trích yếu under the number."""

    model_config = ConfigDict(title="vanban letter", extra="forbid", validate_assignment=True)

    type: Text = Field("cong-van", description="Document type id from data/document-types.yaml")
    to: Lines = Field(description="Kính gửi: one addressee is printed on the line, several as a '- ' list")
    cc: list[Text] = Field(default_factory=list, description="Đồng kính gửi (optional)")
    subject_prefix: bool | None = Field(
        None, description="Print 'V/v' before the trích yếu of a Công văn; empty: the rule profile decides"
    )


Section.model_rebuild()

#: The model of each document shape (``shape:`` of a type in data/document-types.yaml). A document is read
#: into the model of its type's shape; :mod:`generator.kinds` adds what each shape renders.
MODELS: dict[str, type[Document]] = {"plan": Plan, "report": Report}
MODELS["letter"] = MODELS["submission"] = Letter


# --------------------------------------------------------------------------- semantic checks


@dataclass(frozen=True)
class Problem:
    """A problem found in a document, located by its field path (``appendix.groups.0.tasks.2.id``)."""

    path: tuple[str | int, ...]
    message: str
    severity: Literal["error", "warning"] = "error"
    source: str | None = None  # file name, when the problem concerns another file than the plan

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path) or "(document)"


@dataclass
class Reference:
    """What the semantic checks need from data/: known type ids, profiles and their signing forms."""

    types: dict[str, Any] = field(default_factory=dict)
    profiles: dict[str, Any] = field(default_factory=dict)
    #: data/signing-forms.yaml: the only source of the forms (T/M, K/T …) a sign-off may use.
    signing_forms: list[str] = field(default_factory=list)


#: Tasks in one appendix, and levels of sections (I. → 1. → a) → a fourth is the most seen).
MAX_TASKS = 5000
MAX_SECTION_DEPTH = 4


def _depth(sections: list[Section], level: int = 1) -> int:
    return max((_depth(s.sections, level + 1) for s in sections), default=level - 1)


def check(plan: Document, ref: Reference) -> list[Problem]:
    """Checks that span fields or need reference data; all problems, not just the first."""
    problems: list[Problem] = []
    if _depth(plan.sections) > MAX_SECTION_DEPTH:
        problems.append(
            Problem(
                ("sections",),
                _(
                    "sections are nested {value} levels deep; the limit is {value2}",
                    value=_depth(plan.sections),
                    value2=MAX_SECTION_DEPTH,
                ),
            )
        )
    if len(plan.tasks()) > MAX_TASKS:
        problems.append(
            Problem(("appendix",), _("{value:,} tasks; the limit is {value2:,}", value=len(plan.tasks()), value2=MAX_TASKS))
        )
    if plan.type not in ref.types:
        problems.append(
            Problem(
                ("type",),
                _(
                    "unknown document type {type}; expected one of: {value}",
                    type=repr(plan.type),
                    value=", ".join(sorted(ref.types)),
                ),
            )
        )
    elif not ref.types[plan.type].template:
        problems.append(Problem(("type",), _("document type {type} has no template yet", type=repr(plan.type))))
    profile = ref.profiles.get(plan.profile)
    if profile is None:
        problems.append(
            Problem(
                ("profile",),
                _(
                    "unknown rule profile {profile}; expected one of: {value}",
                    profile=repr(plan.profile),
                    value=", ".join(sorted(ref.profiles)),
                ),
            )
        )
    else:
        named = [("signoff",), ("cosigner",)] + [("signers", i) for i in range(len(plan.signers))]
        for key, signer in zip(named, (plan.signoff, plan.cosigner, *plan.signers), strict=True):
            if signer and signer.form and signer.form not in profile.signing_forms:
                problems.append(
                    Problem(
                        (*key, "form"),
                        _(
                            "signing form {form} is not used under profile {profile}; expected one of: {value}",
                            form=repr(signer.form),
                            profile=repr(plan.profile),
                            value=", ".join(profile.signing_forms),
                        ),
                    )
                )
    issued = getattr(plan, "issued_with", None)  # a Quy chế's adopting document, cited in its caption
    if issued is not None and issued.type not in ref.types:
        problems.append(
            Problem(
                ("issued_with", "type"),
                _("unknown document type {type}; expected one of: {value}", type=repr(issued.type), value=", ".join(ref.types)),
            )
        )
    if plan.recipients and not plan.archive:
        problems.append(Problem(("archive",), _("a document with a Nơi nhận ends it with the file copy: give 'archive'")))
    problems += plan.structure_problems()
    return problems


# The shapes written in their own modules (they build on the classes above).
from generator.model.articles import Decision, Regulation  # noqa: E402
from generator.model.copy import Copy  # noqa: E402
from generator.model.minutes import Minutes  # noqa: E402

MODELS.update({"decision": Decision, "regulation": Regulation, "minutes": Minutes, "copy": Copy})
