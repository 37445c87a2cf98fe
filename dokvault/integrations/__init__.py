"""Clients for external services (no SDK where none exists)."""
