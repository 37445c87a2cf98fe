"""The `email` queue: password-reset links, invitations, security alerts, and the mails of
notifications people want by mail. Ids only.

(Inside the `workers` package, so it does not shadow the standard library's `email`.)
"""

import dramatiq

import workers  # noqa: F401  (broker first)
from dokvault.core.jobs import queue_of
from dokvault.services import notify
from dokvault.services.notify import notifications


@dramatiq.actor(queue_name=queue_of("send_notification"), max_retries=5, min_backoff=5000, max_backoff=300000,
                time_limit=2 * 60 * 1000)
def send_notification(kind: str, user_id: int, lang: str = "nb", reason: str = "",
                      ip: str = "") -> None:
    notifications.deliver(kind, user_id, lang, reason, ip)


@dramatiq.actor(queue_name=queue_of("mail_notification"), max_retries=5, min_backoff=5000,
                max_backoff=300000, time_limit=2 * 60 * 1000)
def mail_notification(notification_id: int) -> None:
    notify.mail_notification(notification_id)
