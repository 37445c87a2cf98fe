"""Issue 13: one fault per test against a production DokVault of its own (tests/faults.py:
its own PostgreSQL cluster, Redis without persistence, s3rver on disk, two `dokvault worker`
processes and the scheduler), during one `dokvault import` of a corpus with scans and one
broken PDF. Nothing is done by hand: no requeue, no second import, no SQL.

The S3 outage is FAULTS_S3_OUTAGE_S long (20 s by default, to keep the set near five
minutes; the issue's 60 s is bench/faults.py's default)."""

from __future__ import annotations

import os

import pytest

from tests import faults

pytestmark = pytest.mark.integration

COUNT, SCANS = 20, 4
OUTAGE_S = float(os.environ.get("FAULTS_S3_OUTAGE_S", "20"))
SETTLE_S = 120  # the target: all final within 120 s of the service being back


@pytest.mark.parametrize("fault", faults.FAULTS)
def test_nothing_lost_nothing_by_hand(fault, tmp_path):
    run = faults.run_fault(tmp_path, fault, COUNT, SCANS, outage_s=OUTAGE_S,
                           settle_s=SETTLE_S + OUTAGE_S)
    audit = run.audit
    report = f"{run.summary()}\n--- import (rc {run.import_rc})\n{run.import_tail}"
    assert not audit.problems(), report
    assert audit.statuses == {"ready": COUNT, "failed": 1}, report
    assert audit.details["failed"] == {faults.BROKEN_NAME: "error.corrupt_pdf"}, report
    assert run.recover_after_back_s is not None and run.recover_after_back_s < SETTLE_S, report
    # The import rides the fault out (no second run: that would be a hand on it).
    assert run.import_rc == 0, report
