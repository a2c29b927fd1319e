"""Pages of stall consultations, one module per area; ``consultations/urls.py`` routes them."""
