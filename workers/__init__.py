"""Dramatiq actors. Importing this package configures the broker first."""

from dokvault.core.logs import install_redaction
from workers.broker import configure_broker

install_redaction()  # a worker's records are cleaned of credentials like the app's
configure_broker()
