"""The keyed hash chain over the audit trail.

Entries are written by many transactions at once, and on PostgreSQL their ids are not committed
in order; so an entry is not chained when it is written but *sealed* shortly after, by one
sealer at a time (the chain head's row is locked): each unsealed entry, in id order, gets the
next sequence number and hash = HMAC(key, previous hash ‖ the entry's canonical text). The key
is derived from the instance's data key (EXCHANGE_DATA_KEY, else EXCHANGE_SECRET_KEY), so
someone who can write to the database but holds no key cannot forge a link; the head carries
a keyed hash of its own, so the chain cannot be cut short from its end unnoticed.

`verify` walks the chain in sequence order and reports the first entry that does not fit:
changed, removed (a gap in the sequence), or with a link that is not its predecessor's. What is
not yet sealed (at most a minute's entries, with the scheduler running) is counted, not judged."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timezone

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from exchange.core.audit import AuditEntry, ChainHead
from exchange.extensions import db

GENESIS = "0" * 64
HEAD_ID = 1
SEAL_CHUNK = 5000


def canonical(entry: AuditEntry) -> bytes:
    """The entry as the chain hashes it: every column but the hash itself, in a fixed form."""
    at = entry.at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if entry.at else None
    return json.dumps([entry.seal_seq, entry.id, at, entry.region, entry.user_id, entry.username, entry.action,
                       entry.object_type, entry.object_id, entry.details or {}],
                      ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def link(ctx, previous: str, entry: AuditEntry) -> str:
    return ctx.cipher.chain_mac(previous.encode() + b"\n" + canonical(entry))


def head_mac(ctx, seal_seq: int, hash_: str) -> str:
    return ctx.cipher.chain_mac(f"head\n{seal_seq}\n{hash_}".encode())


def _head(ctx, *, for_update: bool) -> ChainHead:
    stmt = select(ChainHead).where(ChainHead.id == HEAD_ID)
    if for_update:
        stmt = stmt.with_for_update()
    head = db.session.scalar(stmt)
    if head is None:   # the first seal on this database; two first sealers at once: one row wins
        try:
            with db.session.begin_nested():
                db.session.add(ChainHead(id=HEAD_ID, seal_seq=0, hash=GENESIS, mac=head_mac(ctx, 0, GENESIS)))
        except IntegrityError:
            pass
        head = db.session.scalar(stmt)
    return head


def seal(ctx) -> int:
    """Seals every entry not yet sealed; returns how many. One transaction per chunk, each
    holding the head's row, so two sealers (two schedulers, or the command beside the job)
    take turns."""
    sealed = 0
    while True:
        head = _head(ctx, for_update=True)
        # As stored, not as a writer in this session may still hold them: the hash is of the stored text.
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.seal_seq.is_(None))
                                     .order_by(AuditEntry.id).limit(SEAL_CHUNK)
                                     .execution_options(populate_existing=True)).all()
        if not entries:
            db.session.commit()
            return sealed
        seq, previous, links = head.seal_seq, head.hash, []
        for entry in entries:
            seq += 1
            entry.seal_seq = seq                 # part of what is hashed; not flushed yet
            previous = link(ctx, previous, entry)
            links.append({"id": entry.id, "seal_seq": seq, "hash": previous})
        db.session.expunge_all()                 # written below in one statement, not entry by entry
        db.session.execute(update(AuditEntry), links)
        db.session.execute(update(ChainHead).where(ChainHead.id == HEAD_ID).values(
            seal_seq=seq, hash=previous, mac=head_mac(ctx, seq, previous), sealed_at=ctx.clock.now()))
        db.session.commit()
        sealed += len(links)


@dataclass
class Verdict:
    sealed: int                       # entries in the chain
    unsealed: int                     # entries written since the last seal
    first_bad: AuditEntry | None      # the first entry that does not fit
    problem: str | None               # what is wrong, in words

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(ctx) -> Verdict:
    """Walks the whole chain once, in sequence order, in chunks (memory stays flat)."""
    unsealed = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.seal_seq.is_(None)))
    head = db.session.scalar(select(ChainHead).where(ChainHead.id == HEAD_ID))
    expected, previous, last_seq = 1, GENESIS, 0
    while True:
        chunk = db.session.scalars(select(AuditEntry).where(AuditEntry.seal_seq >= expected)
                                   .order_by(AuditEntry.seal_seq).limit(SEAL_CHUNK)
                                   .execution_options(populate_existing=True)).all()
        for entry in chunk:
            if entry.seal_seq != expected:
                return Verdict(expected - 1, unsealed, entry,
                               f"entries {expected}–{entry.seal_seq - 1} of the chain are missing before this one")
            if entry.hash != link(ctx, previous, entry):
                return Verdict(expected - 1, unsealed, entry, "this entry was changed after it was sealed, "
                               "or its link does not follow the entry before it")
            previous, last_seq, expected = entry.hash, entry.seal_seq, expected + 1
        db.session.expunge_all()
        if len(chunk) < SEAL_CHUNK:
            break
    if head is None:
        if last_seq:
            return Verdict(last_seq, unsealed, None, "the chain's head is missing")
        return Verdict(0, unsealed, None, None)
    if head.mac != head_mac(ctx, head.seal_seq, head.hash):
        return Verdict(last_seq, unsealed, None, "the chain's head was altered")
    if (head.seal_seq, head.hash) != (last_seq, previous):
        return Verdict(last_seq, unsealed, None,
                       f"the chain ends at entry {last_seq} but was sealed up to {head.seal_seq}: entries were removed from its end")
    return Verdict(last_seq, unsealed, None, None)
