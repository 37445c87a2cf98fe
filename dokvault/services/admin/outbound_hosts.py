"""The hosts an admin allows the outbound guard to reach over plain http or at an internal
address (an on-premises Nextcloud, a WebDAV server on the office network), on
/admin/outbound-hosts. Validated here - a host name or a single IP address, with an optional
port; no scheme, no path, no wildcard or network that would let a whole range through, not
this machine itself nor a metadata service - stored in one AppSetting row, audited with the
list before and after. The guard reads it through core/outbound_hosts.py (cached briefly in
the app and in every worker)."""

from __future__ import annotations

import ipaddress
import re

from dokvault import db
from dokvault.core import audit, net, outbound_hosts
from dokvault.core.audit import Client
from dokvault.core.validation import Invalid
from dokvault.models import AppSetting, User
from dokvault.services.access import require_admin
from dokvault.settings import get_settings, host_entry

FIELD = "hosts"
MAX_HOSTS = 30
MAX_STORED = 2000  # AppSetting.value
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*://|(https?|file|ftp|gopher|davs?|smb|ldap):)", re.IGNORECASE)
SELF_NAMES = frozenset(("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"))


def current() -> list[str]:
    """The admin's hosts, as stored."""
    return outbound_hosts.stored()


def from_settings() -> list[str]:
    """The operator's OUTBOUND_ALLOWED_HOSTS (shown beside the form, changed only there)."""
    return [h.strip() for h in get_settings().outbound_allowed_hosts.split(",") if h.strip()]


def _one(text: str) -> str:
    """One host as the guard will match it; raises Invalid."""
    entry = text.strip().lower()
    if match := SCHEME.match(entry):
        raise Invalid("error.hosts_scheme", FIELD, value=match.group(0))
    if any(c in entry for c in "*?%") or entry.startswith("."):
        raise Invalid("error.hosts_wildcard", FIELD, value=text.strip())
    if "/" in entry:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise Invalid("error.hosts_invalid", FIELD, value=text.strip()) from None
        raise Invalid("error.hosts_wildcard", FIELD, value=text.strip())  # a network: a range
    try:
        host, _port = host_entry(entry)
    except ValueError:
        raise Invalid("error.hosts_invalid", FIELD, value=text.strip()) from None
    if isinstance(host, str):
        if host in SELF_NAMES or host in net.METADATA_NAMES:
            raise Invalid("error.hosts_refused", FIELD, value=text.strip())
        return entry
    address = host.network_address
    if address.is_unspecified:
        raise Invalid("error.hosts_wildcard", FIELD, value=text.strip())
    if address.is_loopback or address.is_link_local or address.is_multicast or net.is_metadata(address):
        raise Invalid("error.hosts_refused", FIELD, value=text.strip())
    return entry


def parse(text: str) -> list[str]:
    """The hosts typed (one a line, or separated by commas), cleaned and without repeats;
    raises Invalid for the first that cannot be allowed."""
    hosts: list[str] = []
    for raw in re.split(r"[\n,]+", str(text or "")):
        if raw.strip() and (host := _one(raw)) not in hosts:
            hosts.append(host)
    if len(hosts) > MAX_HOSTS or len(",".join(hosts)) > MAX_STORED:
        raise Invalid("error.hosts_too_many", FIELD, n=MAX_HOSTS)
    return hosts


def save(actor: User | None, text: str, client: Client = Client()) -> list[str]:
    """Store the hosts typed in the form (Invalid beside the field); audited with the list
    before and after. Takes effect at once in this process, within CACHE_SECONDS elsewhere."""
    actor = require_admin(actor)
    hosts = parse(text)
    before = current()
    with db.session() as s:
        row = s.get(AppSetting, outbound_hosts.KEY) or AppSetting(key=outbound_hosts.KEY)
        row.value = ",".join(hosts)
        s.add(row)
        s.commit()
    outbound_hosts.forget()
    audit.record_change("admin.outbound_hosts_changed", {"hosts": before}, {"hosts": hosts},
                        actor_id=actor.id, client=client)
    return hosts
