"""The hosts an admin allows on /admin/outbound-hosts: host names and single addresses only
(no scheme, no wildcard or network, not this machine or a metadata service), stored, audited
before and after, and read by the outbound guard (briefly cached in every process)."""

from __future__ import annotations

import ipaddress
import json

import pytest

from dokvault import db
from dokvault.core import audit, net, outbound_hosts
from dokvault.core.net import OutboundRefused
from dokvault.core.validation import Invalid
from dokvault.models import AppSetting
from dokvault.services.access import Forbidden
from dokvault.services.admin import outbound_hosts as hosts

NEXTCLOUD = "nextcloud.kontor.lan"


def on_the_office_network(host: str, port: int):
    return [ipaddress.ip_address("10.20.0.15")]


def code_of(text: str) -> str:
    with pytest.raises(Invalid) as refused:
        hosts.parse(text)
    assert refused.value.field == "hosts"
    return refused.value.code


def test_host_names_and_single_addresses_are_taken_cleaned_and_once():
    typed = "Nextcloud.Kontor.LAN\n10.20.0.15:8080, [fd00::5]:443\n\nnas\nfd00::7\nnextcloud.kontor.lan\n"
    assert hosts.parse(typed) == [NEXTCLOUD, "10.20.0.15:8080", "[fd00::5]:443", "nas", "fd00::7"]
    assert hosts.parse("  ") == []


@pytest.mark.parametrize(("typed", "code"), [
    ("https://nextcloud.kontor.lan", "error.hosts_scheme"),
    ("http:nextcloud.kontor.lan", "error.hosts_scheme"),
    ("file:///etc/passwd", "error.hosts_scheme"),
    ("*", "error.hosts_wildcard"),
    ("*.kontor.lan", "error.hosts_wildcard"),
    (".kontor.lan", "error.hosts_wildcard"),
    ("10.0.0.0/8", "error.hosts_wildcard"),
    ("::/0", "error.hosts_wildcard"),
    ("0.0.0.0", "error.hosts_wildcard"),  # noqa: S104 (typed into the form, not bound)
    ("localhost", "error.hosts_refused"),
    ("127.0.0.1:6379", "error.hosts_refused"),
    ("[::1]", "error.hosts_refused"),
    ("169.254.169.254", "error.hosts_refused"),
    ("metadata.google.internal", "error.hosts_refused"),
    ("nextcloud.kontor.lan/remote.php", "error.hosts_invalid"),
    ("admin@nextcloud.kontor.lan", "error.hosts_invalid"),
    ("to ord", "error.hosts_invalid"),
    ("nextcloud.kontor.lan:99999", "error.hosts_invalid"),
])
def test_what_would_let_too_much_through_or_is_no_host_is_refused(typed, code):
    assert code_of(f"nas\n{typed}") == code


def test_at_most_thirty_hosts():
    assert code_of("\n".join(f"nas{i}.kontor.lan" for i in range(31))) == "error.hosts_too_many"


def test_only_admins_save_and_a_refused_list_changes_nothing(admin, broker_user):
    with pytest.raises(Forbidden):
        hosts.save(broker_user, NEXTCLOUD)
    with pytest.raises(Invalid):
        hosts.save(admin, f"{NEXTCLOUD}\n*.lan")
    assert hosts.current() == []
    assert audit.search_events(kind="admin.outbound_hosts_changed")[1] == 0


def test_a_change_is_audited_before_and_after_and_the_guard_follows_it(admin):
    # Not allowed yet: plain http and an internal address are refused.
    with pytest.raises(OutboundRefused):
        net.check_url(f"http://{NEXTCLOUD}/remote.php/dav/", resolver=on_the_office_network)
    with pytest.raises(OutboundRefused):
        net.check_url(f"https://{NEXTCLOUD}/", resolver=on_the_office_network)
    hosts.save(admin, NEXTCLOUD)
    hosts.save(admin, f"{NEXTCLOUD}\n10.20.0.16:8080")
    assert net.check_url(f"http://{NEXTCLOUD}/remote.php/dav/", resolver=on_the_office_network)
    assert net.check_url("http://10.20.0.16:8080/dav/")
    with pytest.raises(OutboundRefused):  # the port listed is the only one
        net.check_url("http://10.20.0.16:8081/dav/")
    with pytest.raises(OutboundRefused):  # another internal host still is not
        net.check_url("http://nas.kontor.lan/", resolver=on_the_office_network)
    first, second = sorted(audit.search_events(kind="admin.outbound_hosts_changed")[0], key=lambda e: e.id)
    assert json.loads(first.detail) == {"before": {"hosts": []}, "after": {"hosts": [NEXTCLOUD]}}
    assert json.loads(second.detail) == {"before": {"hosts": [NEXTCLOUD]},
                                         "after": {"hosts": [NEXTCLOUD, "10.20.0.16:8080"]}}
    hosts.save(admin, "")
    with pytest.raises(OutboundRefused):
        net.check_url(f"http://{NEXTCLOUD}/", resolver=on_the_office_network)


def test_another_process_sees_a_change_within_the_cache_time(admin, monkeypatch):
    assert outbound_hosts.entries() == ()
    with db.session() as s:  # saved by the app while this worker has read the list already
        s.add(AppSetting(key=outbound_hosts.KEY, value=f"{NEXTCLOUD},*.lan"))
        s.commit()
    assert outbound_hosts.entries() == ()  # cached
    monkeypatch.setattr(outbound_hosts, "CACHE_SECONDS", 0.0)  # its time is up
    # A value put in the database by hand that is no host is left out, never widened.
    assert outbound_hosts.entries() == ((NEXTCLOUD, None),)
