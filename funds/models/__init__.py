from funds.models.campaigns import (
    Campaign,
    ConsentReason,
    ConsentRecord,
    ConsentStatus,
    Payment,
    RuleSet,
    Unit,
    WorkingGroupMember,
    to_fen,
)
from funds.models.money import MoneyEvent

__all__ = [
    "Campaign",
    "ConsentReason",
    "ConsentRecord",
    "ConsentStatus",
    "MoneyEvent",
    "Payment",
    "RuleSet",
    "Unit",
    "WorkingGroupMember",
    "to_fen",
]
