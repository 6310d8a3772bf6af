"""Use case: the format check (kiểm tra thể thức) of DOCX files, ours or typed in Word (``vanban check``, and the
web application's check of an uploaded document)."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.inspect.check import CheckError, Finding, check_docx, guess_profile
from generator.io.refdata import RefData

#: The profile of a document that does not say which one it was made under.
DEFAULT_PROFILE = "hd36-2018"


@dataclass
class Checked:
    """One file's findings under the profile used, or why it could not be checked."""

    file: str
    profile: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)


def check_files(files: list[str], ref: RefData, profile_id: str | None = None) -> list[Checked]:
    """Each file checked under *profile_id*, else the profile it was rendered under, else the default."""
    out = []
    for name in files:
        pid = profile_id or guess_profile(name) or DEFAULT_PROFILE
        if pid not in ref.profiles:  # a document made under an office's own profile that is not here
            pid = DEFAULT_PROFILE
        try:
            out.append(Checked(name, pid, check_docx(name, ref.profile(pid), ref)))
        except CheckError as exc:
            out.append(Checked(name, pid, error=str(exc)))
    return out
