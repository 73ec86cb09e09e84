"""Registering, finding, presenting and revealing seekers; the encrypted identity (ID number,
phone, bank account) and who may read it in clear."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from exchange.accounts.permissions import require_role
from exchange.accounts.roles import SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.bulk import insert_rows
from exchange.core.crypto import DataCipher
from exchange.core.disclosure import IDENTITY, Disclosure
from exchange.core.errors import Conflict, Forbidden, Invalid
from exchange.core.masking import mask_account, mask_national_id, mask_phone
from exchange.core.models import new_ref
from exchange.core.pagination import Page, paginate
from exchange.core.parsing import FieldProblem
from exchange.core.scoping import filtered, get_visible, scoped
from exchange.extensions import db
from exchange.registry.identity import normalise_national_id, normalise_phone
from exchange.registry.models import Household, Seeker
from exchange.registry.profile import profile
from exchange.registry.rows import CleanSeeker, RowProblems, clean_seeker

# Additional authenticated data binds each ciphertext to its column: a value copied into
# another column does not decrypt.
AAD = {
    "national_id": b"seekers.national_id",
    "phone": b"seekers.phone",
    "bank_account": b"seekers.bank_account",
    "emergency_contact_phone": b"seekers.emergency_contact_phone",
}


def seeker_columns(clean: CleanSeeker, cipher: DataCipher, *, region: str, created_by: int | None,
                   now: datetime, import_run_id: int | None = None) -> dict[str, Any]:
    """The row to insert for a cleaned seeker: values, ciphertexts, blind indexes, masks."""
    enc = cipher.encrypt
    return {
        **{name: value for name, value in clean.values.items() if name != "household_no"},
        "ref": new_ref(),
        "region": region,
        "national_id_enc": enc(clean.national_id, AAD["national_id"]),
        "national_id_hash": cipher.blind_index(clean.national_id, b"national_id"),
        "national_id_masked": mask_national_id(clean.national_id),
        "phone_enc": enc(clean.phone, AAD["phone"]),
        "phone_hash": cipher.blind_index(clean.phone, b"phone"),
        "phone_masked": mask_phone(clean.phone),
        "bank_account_enc": enc(clean.bank_account, AAD["bank_account"]),
        "bank_account_masked": mask_account(clean.bank_account),
        "emergency_contact_phone_enc": enc(clean.emergency_contact_phone, AAD["emergency_contact_phone"]),
        "emergency_contact_phone_masked": mask_phone(clean.emergency_contact_phone),
        "created_by": created_by,
        "created_at": now,
        "import_run_id": import_run_id,
    }


def register_seeker(ctx, actor: Actor, data: dict[str, Any]) -> tuple[Seeker, list[dict]]:
    require_role(actor, SENDING_STAFF)
    try:
        clean = clean_seeker(data, ctx.clock.today())
    except RowProblems as exc:
        details = [p.as_dict() for p in exc.problems]
        raise Invalid(message=_("The seeker cannot be registered: %(fields)s", fields=", ".join(d["field"] for d in details)),
                      details=details) from None
    now = ctx.clock.now()
    columns = seeker_columns(clean, ctx.cipher, region=actor.region, created_by=actor.user_id, now=now)
    _refuse_registered(columns["national_id_hash"])
    if clean.values.get("household_no"):
        number = clean.values["household_no"]
        columns["household_id"] = households_for(actor, {number: clean.values["household_status"]}, now=now)[number]
    seeker = Seeker(**columns)
    db.session.add(seeker)
    try:
        db.session.flush()
        audit.record(actor, "seeker.registered", "seeker", seeker.id, at=now)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        _refuse_registered(columns["national_id_hash"])
        raise
    return seeker, [w.as_dict() for w in clean.warnings]


def households_for(actor: Actor, wanted: dict[str, str], *, now: datetime, create: bool = True) -> dict[str, int]:
    """Household number → id, for the numbers a registration or an import names; a number not yet
    registered becomes a household (with the status of the first person naming it), unless
    `create` is false (a dry run), when it is left out. Set-based: one look-up, one insert."""
    if not wanted:
        return {}
    def look_up() -> dict[str, int]:
        return dict(db.session.execute(select(Household.household_no, Household.id).where(
            Household.region == actor.region, Household.household_no.in_(list(wanted)))).all())
    found = look_up()
    missing = [number for number in wanted if number not in found]
    if missing and create:
        insert_rows(Household.__table__, [{"region": actor.region, "household_no": number, "status": wanted[number],
                                           "created_by": actor.user_id, "created_at": now} for number in missing])
        audit.record(actor, "households.created", "household", None, at=now, households=len(missing))
        found = look_up()
    return found


def _refuse_registered(national_id_hash: str) -> None:
    if db.session.scalar(select(Seeker.id).where(Seeker.national_id_hash == national_id_hash)) is not None:
        raise Conflict("already_registered", _("A seeker with this ID number is already registered"))


def list_seekers(ctx, viewer: Actor, query: dict[str, Any]) -> Page:
    cipher = ctx.cipher
    stmt = filtered(scoped(Seeker, viewer), Seeker, query, ("ref", "household_status", "township"))
    if query.get("q"):
        stmt = stmt.where(Seeker.name.startswith(query["q"], autoescape=True))
    if query.get("national_id"):
        try:
            number = normalise_national_id(query["national_id"])
        except FieldProblem:
            number = str(query["national_id"])
        stmt = stmt.where(Seeker.national_id_hash == cipher.blind_index(number, b"national_id"))
    if query.get("phone"):
        try:
            phone = normalise_phone(query["phone"])
        except FieldProblem:
            phone = str(query["phone"])
        stmt = stmt.where(Seeker.phone_hash == cipher.blind_index(phone, b"phone"))
    return paginate(stmt, Seeker, limit=query["limit"], cursor=query["cursor"])


def count_own_seekers(viewer) -> int:
    """The seekers the viewer's region registered."""
    return db.session.scalar(select(func.count()).select_from(Seeker).where(Seeker.region == viewer.region)) or 0


def seekers_by_ids(viewer, seeker_ids: list[int]) -> list[Seeker]:
    if not seeker_ids:
        return []
    return list(db.session.scalars(scoped(Seeker, viewer).where(Seeker.id.in_(seeker_ids)).order_by(Seeker.id)))


def get_seeker(viewer: Actor, seeker_id: int) -> Seeker:
    return get_visible(Seeker, seeker_id, viewer)


HIDDEN_UNTIL_DISCLOSED = ("name", "national_id", "phone")   # round 2 discloses them (masked) to the partner
OWNER_ONLY = ("birth_date", "consent_to_share", "bank_account", "bank_name", "township", "emergency_contact_name",
              "emergency_contact_phone", "note")


def present_seekers(seekers: Iterable[Seeker], viewer, today: date) -> list[dict[str, Any]]:
    """Each seeker as the viewer's region may see it: its own region sees everything (masked);
    the partner sees round 1's profile, and name with masked ID and phone once disclosed."""
    seekers = list(seekers)
    foreign = [s.id for s in seekers if s.region != viewer.region]
    levels = dict(db.session.execute(select(Disclosure.object_id, Disclosure.level).where(
        Disclosure.object_type == "seeker", Disclosure.region == viewer.region,
        Disclosure.object_id.in_(foreign))).all()) if foreign else {}
    out = []
    for s in seekers:
        own = s.region == viewer.region
        level = "owner" if own else ("identity" if levels.get(s.id, 0) >= IDENTITY else "profile")
        item: dict[str, Any] = dict.fromkeys(HIDDEN_UNTIL_DISCLOSED + OWNER_ONLY)
        item.update({"id": s.id, "ref": s.ref, "region": s.region, "disclosure": level, "created_at": s.created_at})
        # Round 1's profile (registry.profile): what every region that may see the person sees.
        item.update({key: value for key, value in profile(s, today).items() if key != "seeker_ref"})
        if level in ("owner", "identity"):
            item.update(name=s.name, national_id=s.national_id_masked, phone=s.phone_masked)
        if own:
            item.update(birth_date=s.birth_date, consent_to_share=s.consent_to_share,
                        bank_account=s.bank_account_masked, bank_name=s.bank_name, township=s.township,
                        emergency_contact_name=s.emergency_contact_name,
                        emergency_contact_phone=s.emergency_contact_phone_masked, note=s.note)
        out.append(item)
    return out


def present_seeker(seeker: Seeker, viewer, today: date) -> dict[str, Any]:
    return present_seekers([seeker], viewer, today)[0]


def reveal_seeker(ctx, actor: Actor, seeker_id: int, reason: str) -> dict[str, Any]:
    """The full ID number and phone, for a sending-region clerk who states why; audited."""
    require_role(actor, SENDING_STAFF)
    seeker = get_visible(Seeker, seeker_id, actor)
    if seeker.region != actor.region:
        raise Forbidden("forbidden", _("Only the region that registered a seeker may reveal the full identity"))
    revealed = {"id": seeker.id, "ref": seeker.ref, "name": seeker.name,
                **{name: in_clear(ctx, seeker, name) for name in AAD}}
    audit.record(actor, "seeker.revealed", "seeker", seeker.id, at=ctx.clock.now(), reason=reason, subjects=[seeker.id])
    db.session.commit()
    return revealed


def in_clear(ctx, seeker: Seeker, name: str) -> str | None:
    """One encrypted field of a seeker (a key of AAD) in clear, for the code that must hand it on:
    a reveal, the partner's batch, the escort's manifest, the bank file."""
    return ctx.cipher.decrypt(getattr(seeker, f"{name}_enc"), AAD[name])


def identity_of(ctx, seeker: Seeker) -> dict[str, str | None]:
    """What a proposed batch discloses of a person to the partner (protocol.md, round 2)."""
    return {"name": seeker.name, "national_id": in_clear(ctx, seeker, "national_id"),
            "phone": in_clear(ctx, seeker, "phone")}


def store_identity(ctx, seeker: Seeker, identity: dict[str, str]) -> None:
    """The partner's copy learns the identity a proposal disclosed, encrypted like our own."""
    number = normalise_national_id(identity["national_id"])
    try:
        phone = normalise_phone(identity["phone"])
    except FieldProblem:
        phone = identity["phone"].strip()
    try:
        seeker.birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        pass
    seeker.name = identity["name"]
    seeker.national_id_enc = ctx.cipher.encrypt(number, AAD["national_id"])
    seeker.national_id_hash = ctx.cipher.blind_index(number, b"national_id")
    seeker.national_id_masked = mask_national_id(number)
    seeker.phone_enc = ctx.cipher.encrypt(phone, AAD["phone"])
    seeker.phone_hash = ctx.cipher.blind_index(phone, b"phone")
    seeker.phone_masked = mask_phone(phone)
    seeker.consent_to_share = True


# 返乡回流: a person is a returnee from the day the latest standing follow-up found them back home,
# until they arrive on a later dispatch. The follow-ups set it (followups.service.refresh_returnee);
# an arrival clears it (placements.service.apply_arrivals): both through the rule below.

def returnee_since(came_home_on: date | None, last_arrived_on: date | None) -> date | None:
    """The day someone has been a returnee since, or None: back home, and not gone out since."""
    if came_home_on is None or (last_arrived_on is not None and last_arrived_on > came_home_on):
        return None
    return came_home_on


def went_out_again(seeker_ids: list[int], arrived_on: date) -> None:
    """An arrival on `arrived_on`: whoever came home before it is no longer a returnee."""
    for seeker in db.session.scalars(select(Seeker).where(Seeker.id.in_(seeker_ids), Seeker.returned_home_on.isnot(None))):
        seeker.returned_home_on = returnee_since(seeker.returned_home_on, arrived_on)
