"""Forms of the corridors app, one module per area (places, people, files, applications)."""
