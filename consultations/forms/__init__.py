"""Forms of stall consultations, one module per area."""
