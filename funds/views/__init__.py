"""Pages of the funds app, one module per area (URL patterns: ``funds/urls.py``)."""
