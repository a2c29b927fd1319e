"""Every write of stall consultations, one module per area and one function per action.

Each function is keyword-only, runs in one transaction and raises ``common.refusals.Refused``
with the reason when the rules, the state or the actor forbid it (nothing is written then).
Workflow steps check the tables in ``consultations.workflows`` on the locked row and write one
history row each.
"""
