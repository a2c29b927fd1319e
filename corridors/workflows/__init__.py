"""Workflow definitions: each module is one readable table of states, actions and roles."""
