"""Background jobs: the queue (procrastinate, in PostgreSQL), e-mail, exports, the superuser's page.

See docs/architecture.md "Jobs". Declare a job with ``jobs.core.job`` in an app's ``tasks``
module; defer it inside the transaction of the change that causes it (``task.defer(...)``).
"""
