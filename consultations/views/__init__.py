"""Pages of stall consultations, one module per audience: requests, stalls, lists, public."""
