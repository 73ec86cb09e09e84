"""The roles of api.md and the acting user passed to every service function."""
from __future__ import annotations

from dataclasses import dataclass

SENDING_STAFF = "sending_staff"
RECEIVING_STAFF = "receiving_staff"
LIAISON_OFFICER = "liaison_officer"
FINANCE_APPROVER = "finance_approver"
ADMIN = "admin"
AUDITOR = "auditor"          # reads the audit trail of their region, changes nothing
SYSTEM = "system"
ANONYMOUS = "anonymous"      # who a failed login with an unknown user name is recorded as

ROLES = (SENDING_STAFF, RECEIVING_STAFF, LIAISON_OFFICER, FINANCE_APPROVER, ADMIN, AUDITOR)
STAFF_ROLES = (SENDING_STAFF, RECEIVING_STAFF, LIAISON_OFFICER, FINANCE_APPROVER)

ROLE_LABELS = {
    SENDING_STAFF: "输出地工作人员",
    RECEIVING_STAFF: "输入地工作人员",
    LIAISON_OFFICER: "劳务工作联络站专员",
    FINANCE_APPROVER: "财务审批人",
    ADMIN: "系统管理员",
    AUDITOR: "安全审计员",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, a token holder, or the system (scheduler, applied events),
    with the pairings of their region (what pairing-wide records they may see)."""
    user_id: int | None
    username: str
    role: str
    region: str
    pairings: tuple[str, ...] = ()

    @classmethod
    def system(cls, region: str, pairings: tuple[str, ...] = ()) -> "Actor":
        return cls(user_id=None, username="system", role=SYSTEM, region=region, pairings=pairings)

    @classmethod
    def anonymous(cls) -> "Actor":
        return cls(user_id=None, username="(unknown)", role=ANONYMOUS, region="")

    @property
    def is_system(self) -> bool:
        return self.role == SYSTEM

    @property
    def audit_only(self) -> bool:
        """An auditor reads the audit trail (and the access records) and nothing else: the
        separation of duties a level-3 system keeps between administering and auditing."""
        return self.role == AUDITOR
