from funds.models.acceptance import SCORE_FIELDS, AcceptanceCheck, Award, CheckPhoto, Criterion, Verdict, judge
from funds.models.campaigns import (
    Campaign,
    ConsentReason,
    ConsentRecord,
    ConsentStatus,
    Payment,
    RuleSet,
    Unit,
    UnitChange,
    WorkingGroupMember,
    to_fen,
)
from funds.models.money import MoneyEvent
from funds.models.payouts import DEAD_STATES, LedgerEntry, Payout, PayoutKind, PayoutReceipt, PayoutState

__all__ = [
    "SCORE_FIELDS",
    "AcceptanceCheck",
    "Award",
    "CheckPhoto",
    "Criterion",
    "DEAD_STATES",
    "LedgerEntry",
    "Payout",
    "PayoutKind",
    "PayoutReceipt",
    "PayoutState",
    "Verdict",
    "judge",
    "Campaign",
    "ConsentReason",
    "ConsentRecord",
    "ConsentStatus",
    "MoneyEvent",
    "Payment",
    "RuleSet",
    "Unit",
    "UnitChange",
    "WorkingGroupMember",
    "to_fen",
]
