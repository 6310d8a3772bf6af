"""What the office keeps: committees and their people, documents with every version, the register
(sổ văn bản đi) and the audit log. A document's text is the pydantic model's JSON dump, so the web
and the command line share one format (see :mod:`generator.web.core`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Committee(models.Model):
    """A party committee that issues documents: Đảng ủy, đảng ủy cơ sở or chi bộ."""

    class Kind(models.TextChoices):
        DANG_UY = "dang-uy", gettext_lazy("Party committee (đảng ủy)")
        DANG_UY_CO_SO = "dang-uy-co-so", gettext_lazy("Grassroots party committee (đảng ủy cơ sở)")
        CHI_BO = "chi-bo", gettext_lazy("Party cell (chi bộ)")

    slug = models.SlugField(
        gettext_lazy("code in the system"),
        max_length=80,
        unique=True,
        help_text=gettext_lazy("Unit id as in data/units/, e.g. cong-ty-129"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("superior committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=Kind.choices, default=Kind.DANG_UY)
    unit_name = models.CharField(
        gettext_lazy("unit name"), max_length=300, help_text=gettext_lazy("The unit as plans name it, e.g. Công ty TNHH MTV 129")
    )
    name = models.CharField(
        gettext_lazy("issuer name"),
        max_length=300,
        help_text=gettext_lazy("As printed in running text, e.g. Đảng ủy Công ty TNHH MTV 129"),
    )
    superior = models.CharField(
        gettext_lazy("superior line"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Printed above the issuer, e.g. Đảng bộ Ban Cơ yếu Chính phủ"),
    )
    code = models.CharField(
        gettext_lazy("issuer code"), max_length=30, help_text=gettext_lazy("Issuer part of the ký hiệu, e.g. ĐU")
    )
    place = models.CharField(gettext_lazy("place"), max_length=100, default="Hà Nội")
    leadership = models.CharField(
        gettext_lazy("leading body"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Leads the committee's plans and receives reports, e.g. Ban Thường vụ Đảng ủy Công ty"),
    )
    signer_form = models.CharField(
        gettext_lazy("signing form"),
        max_length=8,
        blank=True,
        choices=[("T/M", "T/M"), ("K/T", "K/T"), ("T/L", "T/L"), ("Q.", "Q."), ("T/U", "T/U")],
    )
    signer_authority = models.CharField(gettext_lazy("signing authority"), max_length=200, blank=True)
    signer_position = models.CharField(gettext_lazy("signer's position"), max_length=200, default="Bí thư")
    signer_name = models.CharField(gettext_lazy("signer's name"), max_length=200, blank=True)
    archive = models.CharField(
        gettext_lazy("archive copy"), max_length=200, blank=True, help_text=gettext_lazy("Comma-separated, e.g. VT, CTTC")
    )
    aliases = models.JSONField(gettext_lazy("other names"), default=list, blank=True)
    groups = models.JSONField(
        gettext_lazy("group phrases"),
        default=list,
        blank=True,
        help_text=gettext_lazy("Phrases of plans that include this committee, e.g. Các đảng ủy, chi bộ trực thuộc ĐUB"),
    )
    subordinates = models.JSONField(gettext_lazy("executing units"), default=list, blank=True)
    profile = models.CharField(gettext_lazy("rule profile"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("committee")
        verbose_name_plural = gettext_lazy("committees")

    def __str__(self) -> str:
        return self.name

    def archive_list(self) -> list[str]:
        return [a.strip() for a in self.archive.split(",") if a.strip()]

    def ancestors(self) -> list[Committee]:
        out, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            out.append(node)
            seen.add(node.pk)
            node = node.parent
        return out


class Membership(models.Model):
    class Role(models.TextChoices):
        VAN_PHONG = "van-phong", gettext_lazy("Office (drafts, registers, issues)")
        LANH_DAO = "lanh-dao", gettext_lazy("Leader (approves and signs)")
        CAN_BO = "can-bo", gettext_lazy("Officer (drafts in the committee)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("user"), on_delete=models.CASCADE, related_name="membership"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=gettext_lazy("committee"), on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(gettext_lazy("role"), max_length=20, choices=Role.choices, default=Role.CAN_BO)

    class Meta:
        verbose_name = gettext_lazy("membership")
        verbose_name_plural = gettext_lazy("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.committee} ({self.get_role_display()})"

    def can_draft(self) -> bool:
        return self.role in (self.Role.VAN_PHONG, self.Role.CAN_BO)

    def can_approve(self) -> bool:
        return self.role == self.Role.LANH_DAO

    def can_issue(self) -> bool:
        return self.role == self.Role.VAN_PHONG


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        APPROVED = "approved", gettext_lazy("Approved")
        ISSUED = "issued", gettext_lazy("Issued")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")
        RECEIVED = "received", gettext_lazy("Received")  # uploaded from a file: not in this committee's register

    committee = models.ForeignKey(
        Committee, verbose_name=gettext_lazy("committee"), on_delete=models.PROTECT, related_name="documents"
    )
    type_id = models.CharField(gettext_lazy("document kind"), max_length=40, default="ke-hoach")
    status = models.CharField(gettext_lazy("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(gettext_lazy("document data"))
    number = models.PositiveIntegerField(gettext_lazy("number"), null=True, blank=True)
    issued_on = models.DateField(gettext_lazy("issued on"), null=True, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=gettext_lazy("implements"), null=True, blank=True, on_delete=models.PROTECT, related_name="derived"
    )
    recipients = models.ManyToManyField(Committee, verbose_name=gettext_lazy("sent to"), blank=True, related_name="inbox")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = gettext_lazy("document")
        verbose_name_plural = gettext_lazy("documents")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        subject = self.data.get("subject") if isinstance(self.data, dict) else None
        if isinstance(subject, list):
            return " ".join(str(s) for s in subject)
        return str(subject or "—")

    @property
    def symbol(self) -> str:
        from generator.web import core

        return core.symbol(self.number, self.type_id, (self.data.get("header") or {}).get("issuer_code") or "")

    @property
    def locked(self) -> bool:
        return self.status in (self.Status.ISSUED, self.Status.CANCELLED)


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    n = models.PositiveIntegerField(gettext_lazy("version"))
    data = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-n"]
        constraints = [models.UniqueConstraint(fields=["document", "n"], name="one_version_number")]


class RegisterCounter(models.Model):
    """The last number given for (committee, kind, year); its row is locked while a number is taken."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT)
    type_id = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "type_id", "year"], name="one_counter")]


class RegisterEntry(models.Model):
    """A line of the sổ văn bản đi. A number, once given, stays here for ever, cancelled or not."""

    class State(models.TextChoices):
        ISSUED = "issued", gettext_lazy("Issued")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="register")
    type_id = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    symbol = models.CharField(max_length=60)
    issued_on = models.DateField()
    subject = models.TextField()
    signer = models.CharField(max_length=200, blank=True)
    recipients = models.TextField(blank=True)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="register_entries")
    state = models.CharField(max_length=20, choices=State.choices, default=State.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["year", "type_id", "number"]
        verbose_name = gettext_lazy("register entry")
        verbose_name_plural = gettext_lazy("register (outgoing documents)")
        constraints = [models.UniqueConstraint(fields=["committee", "type_id", "year", "number"], name="number_given_once")]


class AuditLog(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    committee = models.ForeignKey(Committee, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = gettext_lazy("audit log entry")
        verbose_name_plural = gettext_lazy("audit log")


class ReceivedFile(models.Model):
    """A DOCX or PDF received from outside (the superior's plan as a file), kept as it came.

    Uploaded first (``document`` empty) and reviewed beside its pages; "Lưu" makes it a document of
    the committee (status ``received``), which keeps pointing here: the original stays, whatever the
    clerk corrects in the data afterwards."""

    committee = models.ForeignKey(
        Committee, verbose_name=gettext_lazy("committee"), on_delete=models.CASCADE, related_name="received_files"
    )
    document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="received_file")
    name = models.CharField(gettext_lazy("file name"), max_length=255)
    kind = models.CharField(max_length=8)  # "docx" or "pdf"
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    data = models.JSONField(null=True, blank=True)  # what the import read, before the clerk saves it
    notes = models.JSONField(default=list, blank=True)  # what was read only in part, with paragraph numbers
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = gettext_lazy("received file")
        verbose_name_plural = gettext_lazy("received files")
