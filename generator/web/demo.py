"""Demo data for `vanban serve --demo`: the committee tree of data/units/ban-co-yeu.yaml, the sample plan
(samples/ke-hoach-41-ct-tw/plan.yaml) issued by the Đảng ủy Ban, and two unit plans derived from it,
with a văn phòng and a lãnh đạo login for every committee."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from generator.web import core, office
from generator.web.models import Committee, Membership

PASSWORD = "vanban-demo"
ROOT = "dang-uy-ban"
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml"


def _member(committee: Committee, role: str) -> Membership:
    prefix = {"van-phong": "vanphong", "lanh-dao": "lanhdao", "can-bo": "canbo"}[role]
    user, _created = get_user_model().objects.get_or_create(username=f"{prefix}.{committee.slug}")
    user.set_password(PASSWORD)
    user.save()
    m, _created = Membership.objects.get_or_create(user=user, defaults={"committee": committee, "role": role})
    return m


def load(lang: str = "vi") -> list[tuple[str, str]]:
    """Load the demo once (again: nothing changes); returns (login, what it is) to print."""
    logins = []
    # outside a request no language is active: the version notes stored and the roles printed follow *lang*
    with translation.override(lang):
        if not Committee.objects.filter(slug=ROOT).exists():
            with transaction.atomic():
                _load(lang)
        for c in Committee.objects.filter(slug__in=[ROOT, "cong-ty-129", "cuc-ct-tc"]).order_by("pk"):
            for m in c.members.order_by("role"):
                logins.append((m.user.username, f"{m.get_role_display()} — {c.name}"))
    return logins


def _load(lang: str) -> None:
    root = Committee.objects.create(
        slug=ROOT,
        kind=Committee.Kind.DANG_UY,
        unit_name="Ban Cơ yếu Chính phủ",
        name="Đảng ủy Ban Cơ yếu Chính phủ",
        superior="Đảng bộ Quân đội",
        code="ĐUB",
        place="Hà Nội",
        leadership="Ban Thường vụ Đảng ủy Ban",
        signer_form="T/M",
        signer_authority="Ban Thường vụ",
        signer_position="Bí thư",
        signer_name="Nguyễn Đăng Lực",
        archive="VT, CTTC",
        aliases=["Đảng ủy Ban", "ĐUB"],
        profile="quan-doi",
    )
    for unit in core.refdata_units():
        if not unit.example or unit.party is None:
            continue
        p = unit.party
        Committee.objects.create(
            slug=unit.id,
            parent=root,
            unit_name=unit.name,
            name=p.issuer,
            superior=p.superior or "",
            code=p.code,
            kind=Committee.Kind.CHI_BO if p.issuer.startswith("Chi bộ") else Committee.Kind.DANG_UY_CO_SO,
            place=p.place,
            leadership=p.leadership,
            signer_form=p.signoff.form or "",
            signer_authority=p.signoff.authority or "",
            signer_position=p.signoff.position,
            signer_name=p.signoff.name or "",
            archive=", ".join(p.archive),
            aliases=list(unit.aliases),
            groups=list(unit.groups) + list(p.groups),
            subordinates=list(unit.subordinates),
            profile=p.profile or "",
        )
    for c in Committee.objects.all():
        _member(c, "van-phong")
        _member(c, "lanh-dao")
    checked = core.check_yaml(SAMPLE.read_bytes(), SAMPLE.name, lang)
    if checked.errors:
        raise RuntimeError("; ".join(str(p) for p in checked.errors))
    assert checked.data is not None  # no errors: the document was validated
    clerk = Membership.objects.get(user__username=f"vanphong.{ROOT}")
    leader = Membership.objects.get(user__username=f"lanhdao.{ROOT}")
    plan = office.create(clerk, checked.data, note=gettext("demo data"))
    office.approve(leader, plan, lang)
    office.issue(clerk, plan)
    for slug in ("cong-ty-129", "cuc-ct-tc"):
        unit_clerk = Membership.objects.get(user__username=f"vanphong.{slug}")
        office.derive(unit_clerk, plan, lang)
    from generator.web.progress import demo as progress_demo

    progress_demo.add(plan, lang)  # an open sơ kết: one report submitted, one draft, the rest not started
