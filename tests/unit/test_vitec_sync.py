"""The Vitec Megler Hub client (httpx behind the outbound guard) against the local fake, and
the sync it feeds: offices, staff and assignments upserted by Vitec's id, the disappeared
made inactive, users linked by e-mail, incremental runs, a failed page that does not stop
the run, and one run at a time."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from sqlmodel import col, select

from dokvault import db
from dokvault.core import leases, net
from dokvault.core.caches import reset_caches
from dokvault.integrations import vitec
from dokvault.integrations.vitec import VitecClient, VitecError
from dokvault.models import Assignment, Employee, Office, OfficeSource, Picture, Role, SyncRun, User
from dokvault.services import org
from dokvault.services.admin import offices as office_admin
from dokvault.services.auth import accounts
from tests.fakes.vitec import VitecFake


@pytest.fixture
def vitec_fake(allow_outbound, monkeypatch):
    with VitecFake.sample() as fake:
        allow_outbound(net.host_port(fake.url))
        for name, value in fake.settings().items():
            monkeypatch.setenv(name, value)
        reset_caches()
        yield fake


def _client(fake: VitecFake, **options) -> VitecClient:
    return VitecClient(fake.url, fake.installation, fake.login, fake.access_key,
                       allow=[net.host_port(fake.url)], **options)


def _run(coro):
    return asyncio.run(coro)


def sync(full: bool = False) -> SyncRun:
    run, new = org.runs.request("vitec", trigger="manual", full=full, send=False)
    assert new
    outcome = org.run_sync("vitec", run.id)
    assert outcome is not None and outcome.ran
    return outcome.run


# --- the client -------------------------------------------------------------------------------


def test_base_url_comes_from_the_setting_or_the_environment():
    assert vitec.base_url("", "prod") == "https://hub.megler.vitec.net"
    assert vitec.base_url("", "qa") == "https://hub.qa.vitecnext.no"
    assert vitec.base_url("https://hub.example.no/", "qa") == "https://hub.example.no"


def test_the_client_logs_in_and_parses_defensively(vitec_fake, caplog):
    caplog.set_level(logging.INFO, logger="dokvault.integrations.vitec")

    async def calls():
        async with _client(vitec_fake) as hub:
            return (await hub.methods(), await hub.departments(), await hub.employees(),
                    await hub.estates("1120"), await hub.employee_picture("KANO"),
                    await hub.employee_picture("OLHA"))

    methods, departments, staff, estates, picture, none = _run(calls())
    assert "Departments (MSPROATEST)" in methods
    assert [d.name for d in departments.rows] == ["Proaktiv Bergen", "Proaktiv Stavanger",
                                                  "Proaktiv Oslo Sentrum"]
    by_id = {p.vitec_id: p for p in staff.rows}
    assert by_id["KANO"].department_ids == ("1120",)  # a list
    assert by_id["OLHA"].department_ids == ("1120",)  # an int
    assert by_id["PEBE"].department_ids == ("1130", "1120")
    assert by_id["KANO"].positions == (1, 10) and by_id["KANO"].email == "kari.nordmann@example.no"
    assert by_id["GAML"].active is False
    assert staff.skipped == [("employee #7", "no id")]  # the malformed row, named, not fatal
    assert {e.assignment_number for e in estates.rows} == {"1120-24-0101", "1120-24-0102"}
    bryggen = next(e for e in estates.rows if e.vitec_id == "E-1002")
    assert (bryggen.address, bryggen.postal_code, bryggen.city) == ("Bryggen 3", "5003", "Bergen")
    assert picture and picture.startswith(b"\xff\xd8") and none is None  # 404 = no picture
    assert vitec_fake.seen("Departments")[0].authorized
    assert vitec_fake.seen("Estates")[0].query == {"departmentId": ["1120"]}
    # Every call is logged with its method, path, status and time; never the key.
    assert "vitec GET MSPROATEST/Departments status=200" in caplog.text
    assert vitec_fake.access_key not in caplog.text


@pytest.mark.parametrize(("status", "code"), [(401, "vitec.unauthorized"), (403, "vitec.forbidden")])
def test_a_refused_login_is_said_in_words(vitec_fake, status, code):
    if status == 401:
        vitec_fake.access_key = "a-key-vitec-does-not-know"  # noqa: S105
    else:
        vitec_fake.forbidden.add("Employees")
    with pytest.raises(VitecError) as caught:
        _run(_call(vitec_fake, "employees"))
    assert caught.value.code == code and str(status) in caught.value.detail
    assert len(vitec_fake.seen("Employees")) == 1  # not retried


async def _call(fake, name):
    async with _client(fake, max_wait=5) as hub:
        return await getattr(hub, name)()


def test_429_waits_what_retry_after_says_and_5xx_is_retried(vitec_fake):
    vitec_fake.inject("Departments", 429, retry_after="1")
    started = time.monotonic()
    assert len(_run(_call(vitec_fake, "departments")).rows) == 3
    assert time.monotonic() - started >= 0.9  # it waited the second asked for
    vitec_fake.inject("Employees", 503, times=2)
    assert len(_run(_call(vitec_fake, "employees")).rows) == 6
    assert len(vitec_fake.seen("Employees")) == 3
    vitec_fake.inject("Departments", 500, times=99)
    with pytest.raises(VitecError) as caught:
        _run(_call(vitec_fake, "departments"))
    assert caught.value.code == "vitec.http" and caught.value.status == 500


def test_the_outbound_guard_stands_before_vitec(clean_env):
    with VitecFake.sample() as fake, pytest.raises(net.OutboundRefused):  # 127.0.0.1: not allowed
        VitecClient(fake.url, fake.installation, fake.login, fake.access_key)
    assert fake.requests == []


# --- the sync -----------------------------------------------------------------------------------


def _state():
    with db.session() as s:
        return ({o.vitec_id: o for o in s.exec(select(Office).where(col(Office.vitec_id).is_not(None)))},
                {e.vitec_id: e for e in s.exec(select(Employee))},
                {a.vitec_id: a for a in s.exec(select(Assignment))})


def test_a_first_sync_brings_offices_staff_and_assignments(vitec_fake, admin):
    with db.session() as s:
        kari = accounts.create_user(s, "kari.nordmann@example.no", "megler passord 2024", Role.BROKER)
    manual = office_admin.create_office(admin, "Proaktiv Stavanger")  # typed before the sync
    run = sync()
    assert run.status == "done" and not run.incremental  # the first run is a full one
    offices, staff, assignments = _state()
    assert set(offices) == {"1120", "1130", "1140"}
    assert offices["1130"].id == manual.id and offices["1130"].source == OfficeSource.VITEC  # adopted
    assert offices["1120"].city == "Bergen" and offices["1120"].has_picture
    assert set(staff) == {"KANO", "OLHA", "PEBE", "SILU", "TORA", "GAML"}
    assert staff["PEBE"].office_id == offices["1130"].id  # the first department is the main one
    assert not staff["GAML"].is_active
    assert staff["KANO"].user_id == kari.id  # linked by e-mail, whatever its case in Vitec
    with db.session() as s:
        assert s.get(User, kari.id).office_id == offices["1120"].id  # and placed in the office
        assert s.get(Picture, ("employee", staff["KANO"].id)) is not None
    assert staff["KANO"].has_picture and not staff["OLHA"].has_picture
    assert set(assignments) == {"E-1001", "E-1002", "E-2001", "E-2002", "E-3001"}
    assert assignments["E-2001"].office_id == offices["1130"].id
    assert assignments["E-2001"].address == "Kirkegata 20"
    assert assignments["E-1001"].brokers == [{"employee": "KANO", "role": 1}]
    counts = run.counts
    assert counts["offices"]["created"] == 2 and counts["employees"]["created"] == 6
    assert counts["employees"]["skipped"] == 1 and counts["assignments"]["created"] == 5
    assert run.skipped == [{"entity": "employees", "what": "employee #7", "reason": "no id"}]
    assert run.errors == [] and run.watermark is not None


def test_a_second_sync_with_one_employee_gone_deactivates_them_and_changes_nothing_else(
        vitec_fake, admin):
    sync()
    before = _state()
    vitec_fake.employees = [e for e in vitec_fake.employees if e.get("employeeId") != "SILU"]
    run = sync()
    assert run.status == "done" and run.incremental
    after = _state()
    assert not after[1]["SILU"].is_active  # deactivated, never deleted
    for kind in range(3):
        for key, row in before[kind].items():
            if (kind, key) == (1, "SILU"):
                continue
            assert row.model_dump() == after[kind][key].model_dump(), (kind, key)
    assert run.counts["employees"] == {"created": 0, "updated": 0, "deactivated": 1, "skipped": 1,
                                       "unchanged": 5}
    assert run.counts["offices"]["unchanged"] == 3 and run.counts["offices"]["updated"] == 0
    # The second run asked Vitec only for the estates changed since the first.
    assert all(r.query.get("changedAfter") for r in vitec_fake.seen("Estates")[-3:])


def test_an_incremental_sync_takes_in_what_changed(vitec_fake, admin):
    sync()
    vitec_fake.estates[0]["status"] = "Solgt"
    vitec_fake.estates[0]["changedDate"] = "2099-01-01T00:00:00+00:00"
    run = sync()
    assert run.counts["assignments"] == {"created": 0, "updated": 1, "deactivated": 0, "skipped": 0,
                                         "unchanged": 0}
    assert _state()[2]["E-1001"].status == "Solgt"


def test_a_full_sync_deactivates_assignments_vitec_no_longer_lists(vitec_fake, admin):
    sync()
    vitec_fake.estates = [e for e in vitec_fake.estates if e["estateId"] != "E-2002"]
    run = sync(full=True)
    assert run.counts["assignments"]["deactivated"] == 1
    assert not _state()[2]["E-2002"].is_active and _state()[2]["E-2001"].is_active


def test_a_failed_page_is_an_error_of_the_run_not_its_end(vitec_fake, admin):
    # Stavanger's page is refused (a right missing for that office; 5xx are retried first).
    vitec_fake.inject("departmentId=1130", 403, times=99)
    run = sync()
    assert run.status == "done"
    assert [e["what"] for e in run.errors] == ["estates of department 1130"]
    assert set(_state()[2]) == {"E-1001", "E-1002", "E-3001"}  # the other offices' came in
    assert run.watermark is None  # so the next run is a full one again
    admins = org.runs.recent("vitec")[0]
    assert admins.id == run.id
    from dokvault.models import Notification

    with db.session() as s:  # and the admins are told
        told = s.exec(select(Notification).where(Notification.kind == "sync_failed")).all()
    assert [n.user_id for n in told] == [admin.id] and told[0].link == "/admin/integrations"


def test_two_syncs_never_run_at_once(vitec_fake, admin):
    first, new = org.runs.request("vitec", send=False)
    again, second_new = org.runs.request("vitec", send=False)
    assert new and not second_new and again.id == first.id  # a second click: the same run
    with leases.held("sync:vitec") as held:  # another worker is running a sync
        assert held
        outcome = org.run_sync("vitec", first.id)
    assert not outcome.ran and org.runs.get(first.id).status == "queued"
    assert org.run_sync("vitec", first.id).ran
    assert not org.run_sync("vitec", first.id).ran  # delivered twice: runs once
    assert org.runs.get(first.id).status == "done"


def test_a_sync_without_settings_says_what_is_missing(clean_env, admin, monkeypatch):
    assert org.vitec_sync.missing_settings() == ["VITEC_HUB_PRODUCT_LOGIN", "VITEC_HUB_ACCESS_KEY",
                                                 "VITEC_INSTALLATION_ID"]
    assert org.run_sync("vitec") is None  # the nightly job does nothing
    run, _ = org.runs.request("vitec", send=False)
    done = org.run_sync("vitec", run.id).run
    assert done.status == "failed" and done.errors[0]["what"] == "vitec.not_configured"
