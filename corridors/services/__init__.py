"""Every write in corridors/ goes through one function here (see STYLE.md "Services")."""
