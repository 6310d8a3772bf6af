"""The Biên bản (minutes of a meeting): when and where, who chaired and who took the minutes, attendance,
the proceedings, the time the meeting closed, and two signers side by side; no Nơi nhận."""

from __future__ import annotations

import datetime as _dt

from pydantic import ConfigDict, Field, model_validator

from generator.lang.i18n import _
from generator.model.document import Document, Model, OptionalRecipients, Section, SignOff, Text


class Person(Model):
    name: Text = Field(description="Họ tên, e.g. 'Nguyễn Văn A'")
    position: Text | None = Field(None, description="Chức vụ, e.g. 'Bí thư Đảng ủy'")


class Absent(Model):
    name: Text
    reason: Text | None = Field(None, description="Lý do vắng mặt, e.g. 'đi công tác'")


class Attendance(Model):
    """Thành phần hội nghị."""

    members: Text = Field("đồng chí", description="Who is counted, e.g. 'đồng chí Ủy viên Ban Thường vụ'")
    expected: int | None = Field(None, ge=1, description="How many were called (tổng số)")
    present: int = Field(ge=0, description="How many were present")
    absent: list[Absent] = Field(default_factory=list)
    invited: list[Text] = Field(default_factory=list, description="Đại biểu mời dự, one a line")

    @model_validator(mode="after")
    def _counts_add_up(self) -> Attendance:
        # The minutes state a quorum: "có mặt 12/09" cannot be printed as a record of a meeting.
        if self.expected is not None and self.present + len(self.absent) != self.expected:
            raise ValueError(
                _(
                    "present ({present}) and absent ({absent}) add up to {total}, not to the {expected} called",
                    present=self.present,
                    absent=len(self.absent),
                    total=self.present + len(self.absent),
                    expected=self.expected,
                )
            )
        return self


class Minutes(Document):
    """A Biên bản of a meeting."""

    model_config = ConfigDict(title="vanban minutes", extra="forbid", validate_assignment=True)

    type: Text = Field("bien-ban", description="Document type id from data/document-types.yaml")
    start: _dt.datetime = Field(description="When the meeting opened (YYYY-MM-DD HH:MM)")
    end: _dt.time | None = Field(None, description="When it closed (HH:MM), printed 'Hội nghị kết thúc vào lúc …'")
    end_line: Text | None = Field(None, description="The closing line as written, instead of the one made from 'end'")
    place: Text = Field(description="Địa điểm")
    content: Text | None = Field(None, description="Nội dung hội nghị, in a line")
    chair: Person = Field(description="Người chủ trì")
    secretary: Person = Field(description="Thư ký (người ghi biên bản)")
    attendance: Attendance
    sections: list[Section] = Field(default_factory=list, description="The proceedings, by numbered parts")
    recipients: OptionalRecipients = Field(default_factory=list)  # a Biên bản has no Nơi nhận
    archive: list[Text] = Field(default_factory=list)
    signoff: SignOff | None = Field(None, description="The chair's block (right); default: 'Chủ trì hội nghị' and the chair")
    secretary_title: Text = Field("Thư ký", description="Over the secretary's signature (left): 'Thư ký' or 'Người ghi biên bản'")
    chair_title: Text = Field("Chủ trì hội nghị", description="Over the chair's signature (right) when no signoff is given")

    @model_validator(mode="after")
    def _chair_signs(self) -> Minutes:
        if self.signoff is None and not self.signers:
            self.signoff = SignOff(position=self.chair_title, name=self.chair.name)
        return self
