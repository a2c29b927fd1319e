"""Every write of the funds app goes through one function here, one module per area
(STYLE.md "Services"): keyword-only, typed, atomic, refusing with ``common.refusals.Refused``.

Two wings that never import each other:

- maintenance-fund re-raising: ``campaigns``, ``units`` (the roll and its import),
  ``consents``, ``payments``, ``notice`` (the public notice);
- acceptance checks and the money they lead to: ``checks`` → ``awards`` → ``payouts``,
  and ``ledger`` (the corridor's own spending);

and ``money``, the append-only money log both wings write to.
"""
