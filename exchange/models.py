"""Imports every model module, so the metadata (and Alembic's autogenerate) sees all tables."""
from exchange.accounts.models import ApiToken, User  # noqa: F401
from exchange.core.audit import AuditEntry  # noqa: F401
from exchange.core.disclosure import Disclosure  # noqa: F401
from exchange.core.idempotency import IdempotencyKey  # noqa: F401
from exchange.employers.models import Employer, Posting  # noqa: F401
from exchange.registry.models import ImportRun, Seeker, TrainingRecord  # noqa: F401
from exchange.core.lease import Lease  # noqa: F401
from exchange.lists.models import SeekerList, SeekerListItem, SupplyList, SupplyListItem  # noqa: F401
from exchange.placements.models import Batch, Dispatch, Match, Traveller  # noqa: F401
from exchange.protocol.models import (AppliedEvent, FeedState, OutboxCounter, OutboxEvent,  # noqa: F401
                                      QuarantinedEvent)
from exchange.employment.models import EmploymentSpell  # noqa: F401
from exchange.subsidies.models import (Claim, ClaimReceipt, IncomeDeclaration, PaymentBatch,  # noqa: F401
                                       PaymentLine)
from exchange.followups.models import Case, CaseNote, FollowUp  # noqa: F401
from exchange.notifications.models import Notification  # noqa: F401
from exchange.indicators.models import FundEntry  # noqa: F401
