"""Dramatiq actors. Importing this package configures the broker first."""

from workers.broker import configure_broker

configure_broker()
