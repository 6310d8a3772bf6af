"""What a progress collection keeps. A submission's ``data`` is a :class:`generator.model.document.Progress`
as its JSON dump (unit, reported, tasks), so the web and ``vanban report`` read the same thing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from generator.web.models import Committee, Document


def default_figures() -> list[dict]:
    """The figures asked for when the secretariat lists none: data/figures.yaml's."""
    from generator.web import core

    return core.default_figures()


def attachment_path(instance: Attachment, filename: str) -> str:
    # one folder per submission; the stored name is Django's (made unique), the original is kept apart
    return f"progress/{instance.submission.collection_id}/{instance.submission_id}/{filename}"


class Collection(models.Model):
    """A call for progress on an issued plan, opened by the secretariat (the plan's committee's office)."""

    class Period(models.TextChoices):
        SO_KET_6_THANG = "so-ket-6-thang", gettext_lazy("Six-month review (sơ kết 6 tháng)")
        HANG_NAM = "hang-nam", gettext_lazy("Annual (hằng năm)")
        SO_KET = "so-ket", gettext_lazy("Interim review (sơ kết)")
        TONG_KET = "tong-ket", gettext_lazy("Final review (tổng kết)")
        AD_HOC = "ad-hoc", gettext_lazy("Ad hoc (đột xuất)")

    class State(models.TextChoices):
        OPEN = "open", gettext_lazy("Open for reports")
        CLOSED = "closed", gettext_lazy("Closed")

    plan = models.ForeignKey(Document, verbose_name=gettext_lazy("plan"), on_delete=models.PROTECT, related_name="collections")
    owner = models.ForeignKey(
        Committee, verbose_name=gettext_lazy("secretariat"), on_delete=models.PROTECT, related_name="collections"
    )
    period = models.CharField(gettext_lazy("period"), max_length=20, choices=Period.choices, default=Period.SO_KET_6_THANG)
    title = models.CharField(gettext_lazy("title"), max_length=300)
    as_of = models.DateField(gettext_lazy("as of"))
    deadline = models.DateField(gettext_lazy("deadline"))
    figures = models.JSONField(
        gettext_lazy("figures asked for"),
        default=default_figures,
        blank=True,
        help_text=gettext_lazy("A list of {id, label, unit}"),
    )
    state = models.CharField(gettext_lazy("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = gettext_lazy("progress collection")
        verbose_name_plural = gettext_lazy("progress collections")

    def __str__(self) -> str:
        return self.title


class Submission(models.Model):
    """One unit's report in a collection: stored once per (collection, committee)."""

    class State(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Saved as draft")
        SUBMITTED = "submitted", gettext_lazy("Submitted")
        REOPENED = "reopened", gettext_lazy("Reopened")

    collection = models.ForeignKey(
        Collection, verbose_name=gettext_lazy("collection"), on_delete=models.CASCADE, related_name="submissions"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=gettext_lazy("reporting unit"), on_delete=models.PROTECT, related_name="submissions"
    )
    state = models.CharField(gettext_lazy("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    data = models.JSONField(gettext_lazy("progress data"), default=dict, blank=True)
    excel_name = models.CharField(gettext_lazy("Excel file"), max_length=255, blank=True)
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reopen_reason = models.CharField(gettext_lazy("reason for reopening"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["collection", "committee__name"]
        verbose_name = gettext_lazy("progress submission")
        verbose_name_plural = gettext_lazy("progress submissions")
        constraints = [models.UniqueConstraint(fields=["collection", "committee"], name="one_submission_per_unit")]

    def __str__(self) -> str:
        return f"{self.collection} — {self.committee}"

    @property
    def locked(self) -> bool:
        return self.state == self.State.SUBMITTED


class Attachment(models.Model):
    """A file the unit joins to its report (its own plan, minutes…), downloadable by the unit and the secretariat."""

    submission = models.ForeignKey(
        Submission, verbose_name=gettext_lazy("submission"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(gettext_lazy("file"), upload_to=attachment_path, max_length=400)
    original_name = models.CharField(gettext_lazy("file name"), max_length=255)
    size = models.PositiveIntegerField(gettext_lazy("size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = gettext_lazy("attachment")
        verbose_name_plural = gettext_lazy("attachments")

    def __str__(self) -> str:
        return self.original_name


class LiveReport(models.Model):
    """The Báo cáo written from a collection's live data: what was generated last (``base``), the
    secretariat's text (``edited``), and the issued document once it is issued."""

    collection = models.OneToOneField(
        Collection, verbose_name=gettext_lazy("collection"), on_delete=models.CASCADE, related_name="live_report"
    )
    base = models.JSONField(gettext_lazy("generated text"), default=dict, blank=True)
    edited = models.JSONField(gettext_lazy("edited text"), default=dict, blank=True)
    document = models.ForeignKey(
        Document,
        verbose_name=gettext_lazy("report document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_reports",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = gettext_lazy("live report")
        verbose_name_plural = gettext_lazy("live reports")
