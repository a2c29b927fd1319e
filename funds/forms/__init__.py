"""Forms of the funds app, one module per area; they parse input, the services write."""
