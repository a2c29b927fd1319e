"""The state machines of stall consultations, one module each: ``request`` and ``ticket``."""
