"""The funds state machines, one table per module: ``payout``, ``award`` and the campaign ``notice``.

Each module holds its states (``TextChoices``, which the model's field uses) and its
``common.workflows.Workflow``: where each step may start and end, which roles relative to
the object may take it, whether a reason is required and who is told. One service per step
carries it out (``funds.services.<area>``); ``funds.notifications`` turns the notify roles
into people.
"""
