"""The funds models, one module per area. Two wings that never import each other:

- maintenance-fund re-raising: ``campaigns``, ``units``, ``consents``, ``payments``;
- acceptance checks and the money they lead to: ``checks``, ``awards``, ``payouts``, ``ledger``;

and ``money``, the append-only money log both wings write to.
"""

from funds.models.awards import Award, AwardTransition
from funds.models.campaigns import Campaign, CampaignNotice, NoticeTransition, RuleSet, WorkingGroupMember, to_fen
from funds.models.checks import SCORE_FIELDS, AcceptanceCheck, CheckPhoto, Criterion, Verdict, judge
from funds.models.consents import ConsentReason, ConsentRecord, ConsentStatus
from funds.models.ledger import LedgerEntry
from funds.models.money import MoneyEvent
from funds.models.payments import Payment
from funds.models.payouts import DEAD_STATES, Payout, PayoutKind, PayoutReceipt, PayoutState, PayoutTransition
from funds.models.tallies import CampaignTally
from funds.models.units import Unit, UnitChange
from funds.workflows.award import AwardState
from funds.workflows.notice import NoticeState

__all__ = [
    "SCORE_FIELDS",
    "AcceptanceCheck",
    "Award",
    "AwardState",
    "AwardTransition",
    "Campaign",
    "CampaignNotice",
    "CampaignTally",
    "CheckPhoto",
    "ConsentReason",
    "ConsentRecord",
    "ConsentStatus",
    "Criterion",
    "DEAD_STATES",
    "LedgerEntry",
    "MoneyEvent",
    "NoticeState",
    "NoticeTransition",
    "Payment",
    "Payout",
    "PayoutKind",
    "PayoutReceipt",
    "PayoutState",
    "PayoutTransition",
    "RuleSet",
    "Unit",
    "UnitChange",
    "Verdict",
    "WorkingGroupMember",
    "judge",
    "to_fen",
]
