"""Two (or more) people acting at the same moment, on real PostgreSQL connections.

``race(calls, inside=(obj, "name"))`` runs each call in its own thread and connection and
holds a barrier *inside* the service, just after the row lock (``inside`` names a function
the service calls once it holds the lock, such as a workflow's ``check``). With the lock in
place, the second call is blocked on the row before it reaches the barrier, so the first
waits out the barrier's short timeout alone, commits, and the second then sees the new
state and is refused. Remove the lock and every call reaches the barrier together, passes
it together and writes twice: the test's count of history rows or money events fails.
That is what makes these tests honest: they fail when the lock is removed.

Outcomes are ``"done"`` or the refusal's reason; any other exception is re-raised in the
test, never counted as "not done".
"""

import contextlib
import threading

from django.db import connection
from django.utils import translation

from common.refusals import Refused

BARRIER_WAIT = 1.5  # seconds the first call waits for company inside the lock


def race(monkeypatch, calls, *, inside, refusals=(Refused,), wait: float = BARRIER_WAIT, language="en"):
    target, name = inside
    original = getattr(target, name)
    gate = threading.Barrier(len(calls))

    def gated(*args, **kwargs):
        result = original(*args, **kwargs)
        # Alone inside the lock, as it should be, the barrier breaks after ``wait``.
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait(timeout=wait)
        return result

    monkeypatch.setattr(target, name, gated)
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=30)
            with translation.override(language):
                call()
            outcomes[index] = "done"
        except refusals as refused:
            outcomes[index] = getattr(refused, "reason", str(refused))
        except BaseException as error:  # noqa: BLE001 - re-raised below in the test's thread
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes
