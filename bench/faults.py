"""Issue 13's benchmark: the four faults, one at a time, each on a fresh production
DokVault (tests/faults.py: own PostgreSQL cluster, Redis without persistence, s3rver on
disk, two `dokvault worker` processes, the scheduler) during one `dokvault import` of
100 documents (80 text PDFs, 20 scans) plus one broken PDF.

    .venv/bin/python bench/faults.py                 # all four, 60 s S3 outage
    .venv/bin/python bench/faults.py --fault s3_outage --outage 30 --count 40

Per fault: lost documents (a file that did not end `ready`, the broken one aside),
duplicates (two live rows with one checksum), seconds from the fault to every document
final. Target: 0 lost, 0 duplicates, final within 120 s of the service being back.
The JSON line last has lost_<fault>, duplicates_<fault>, recover_s_<fault> (null: not
final within the bound)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import faults  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fault", action="append", choices=faults.FAULTS,
                        help="one fault (repeat; default: all four)")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--scans", type=int, default=None, help="default: a fifth of --count")
    parser.add_argument("--outage", type=float, default=60, help="S3 outage, seconds")
    parser.add_argument("--settle", type=float, default=120,
                        help="seconds after the service is back before giving up")
    args = parser.parse_args(argv)
    scans = args.count // 5 if args.scans is None else args.scans
    runs = []
    with tempfile.TemporaryDirectory(prefix="dokvault-bench-faults-") as work:
        for fault in args.fault or faults.FAULTS:
            print(f"{fault}: {args.count} documents ({scans} scans) + 1 broken ...", flush=True)
            settle = args.settle + (args.outage if fault == "s3_outage" else 0)
            run = faults.run_fault(Path(work) / fault, fault, args.count, scans,
                                   outage_s=args.outage, settle_s=settle)
            runs.append(run)
            recover = "never" if run.recover_s is None else f"{run.recover_s} s"
            print(f"  lost {len(run.audit.lost)}, duplicates {len(run.audit.duplicates)}, "
                  f"fault to all final {recover} (after back {run.recover_after_back_s}), "
                  f"import exit {run.import_rc}, statuses {run.audit.statuses}", flush=True)
            for problem in run.audit.problems():
                print(f"    {problem}", flush=True)
    print(faults.main_json(runs))
    ok = all(not r.audit.lost and not r.audit.duplicates and r.recover_after_back_s is not None
             and r.recover_after_back_s < 120 for r in runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
