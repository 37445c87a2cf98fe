"""Dramatiq actors, one module per queue: ids in, one service call. Importing this package
configures the broker first (dokvault.core.jobs)."""

from dokvault.core.jobs import configure_broker
from dokvault.core.logs import install_redaction

install_redaction()  # a worker's records are cleaned of credentials like the app's
configure_broker()
