"""State machines as readable tables (STYLE.md "Workflows are a readable table").

Each workflow module (``<app>/workflows/<entity>.py``) declares its states as
``TextChoices`` and its steps as a ``Workflow`` of ``Transition`` rows: where a step may
start, where it ends, which roles *relative to the object* may take it, whether a reason
is required and who is told. One service function per step carries it out; before writing,
it calls ``workflow.check(...)``, which refuses with the reason (stale page, wrong state,
wrong role, missing reason) and so is the one place those sentences live.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from common.refusals import Refused, stale


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset
    target: str
    roles: frozenset
    reason_required: bool = False
    # Who is told, by role relative to the object (the actor is never told of their own step).
    notify: frozenset = field(default_factory=frozenset)
    # Bootstrap button style where a page offers the step.
    style: str = "primary"

    def allows(self, state: str, roles: Iterable[str]) -> bool:
        return state in self.sources and not self.roles.isdisjoint(roles)


class Workflow:
    """A named table of transitions over one ``TextChoices`` of states."""

    def __init__(self, name: str, states, transitions: Iterable[Transition], *, role_labels=None):
        self.name = name
        self.states = states
        # Optional role value -> label: a wrong-role refusal then says whose step it is.
        self.role_labels = role_labels
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"{name}: transition {t.name!r} declared twice")
            unknown = (set(t.sources) | {t.target}) - set(states.values)
            if unknown:
                raise ValueError(f"{name}: transition {t.name!r} names unknown states {sorted(unknown)}")
            self.transitions[t.name] = t

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __contains__(self, name: str) -> bool:
        return name in self.transitions

    def __iter__(self):
        return iter(self.transitions.values())

    def allowed(self, name: str, state: str, roles: Iterable[str]) -> bool:
        return name in self.transitions and self.transitions[name].allows(state, roles)

    def available(self, state: str, roles: Iterable[str]) -> list[Transition]:
        """The steps open to these roles in this state, in table order (the page's buttons)."""
        roles = frozenset(roles)
        return [t for t in self.transitions.values() if t.allows(state, roles)]

    def check(self, name: str, obj, *, roles: Iterable[str], expected_state: str | None = None, reason: str = ""):
        """Refuse, with the reason, a step the table, the state or the actor's roles forbid.

        ``obj`` is the locked row (its ``state`` is current); ``expected_state`` is the state
        the page showed, so a second click on a stale page is told what happened instead.
        """
        transition = self.transitions[name]
        state = obj.state
        if expected_state is not None and state != expected_state:
            raise stale(obj)
        if state not in transition.sources:
            raise Refused(
                _("“%(action)s” is not possible while the %(thing)s is “%(state)s”.")
                % {"action": transition.label, "thing": obj._meta.verbose_name, "state": obj.get_state_display()}
            )
        if transition.roles.isdisjoint(roles) and self.role_labels:
            whose = " / ".join(str(self.role_labels[role]) for role in sorted(transition.roles))
            raise Refused(
                _("You may not “%(action)s” this %(thing)s: this step is for its %(role)s.")
                % {"action": transition.label, "thing": obj._meta.verbose_name, "role": whose}
            )
        if transition.roles.isdisjoint(roles):
            raise Refused(
                _("Your role does not allow “%(action)s” on this %(thing)s.")
                % {"action": transition.label, "thing": obj._meta.verbose_name}
            )
        if transition.reason_required and not (reason or "").strip():
            raise Refused(_("Please give a reason for “%(action)s”.") % {"action": transition.label}, field="note")
        return transition
