"""A Vitec Megler sync at scale: 200 offices, 5,000 employees and 50,000 assignments from
the local Vitec fake (tests/fakes/vitec.py), on the embedded default (SQLite), through the
real client (httpx behind the outbound guard) and the real sync (services/org).

    .venv/bin/python bench/sync.py [--offices 200] [--employees 5000] [--assignments 50000]
                                   [--changed 500]

First run: everything is new. Incremental run: `--changed` assignments changed in Vitec
since (the fake marks them), everything else as it was. The fake runs in a process of its
own, so the peak RSS is the sync's. Targets (issue 14): first run < 60 s, incremental
< 5 s, peak RSS < 300 MiB. Prints a table and, as the last line, one JSON object with
`first_run_s`, `incremental_s` and `peak_rss_mib`. No timing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKE = """
import sys
from tests.fakes.vitec import VitecFake
fake = VitecFake.generated({offices}, {employees}, {assignments}).start()
print(fake.port, flush=True)
for line in sys.stdin:
    if line.startswith("touch"):
        fake.touch_estates(int(line.split()[1]))
        print("ok", flush=True)
    elif line.startswith("requests"):
        print(len(fake.requests), flush=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--assignments", type=int, default=50_000)
    parser.add_argument("--changed", type=int, default=500)
    args = parser.parse_args()

    fake = subprocess.Popen([sys.executable, "-c", FAKE.format(**vars(args))], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = int(fake.stdout.readline())
        with tempfile.TemporaryDirectory(prefix="dokvault-sync-bench-") as data:
            for name in list(os.environ):
                if name.startswith(("VITEC_", "DATABASE_", "REDIS_", "MINIO_")):
                    del os.environ[name]
            os.environ.update({
                "DOKVAULT_DATA_DIR": data, "OUTBOUND_ALLOWED_HOSTS": f"127.0.0.1:{port}",
                "VITEC_HUB_BASE_URL": f"http://127.0.0.1:{port}",
                "VITEC_HUB_PRODUCT_LOGIN": "dokvault-partner",
                "VITEC_HUB_ACCESS_KEY": "vitec-access-key-7f3a9c", "VITEC_INSTALLATION_ID": "MSPROATEST",
                "LOG_LEVEL": "WARNING"})
            sys.path.insert(0, str(ROOT))
            from dokvault.core.logs import configure_logging
            from dokvault.migrations import upgrade_database
            from dokvault.services import org

            configure_logging()
            upgrade_database()

            def one_run() -> tuple[float, dict]:
                run, _ = org.runs.request("vitec", send=False)
                started = time.perf_counter()
                outcome = org.run_sync("vitec", run.id)
                elapsed = time.perf_counter() - started
                if outcome is None or outcome.run.status != "done" or outcome.run.errors:
                    raise SystemExit(f"sync failed: {outcome.run.errors if outcome else 'not run'}")
                return elapsed, outcome.run.counts

            first_s, first_counts = one_run()
            fake.stdin.write(f"touch {args.changed}\n")
            fake.stdin.flush()
            fake.stdout.readline()
            incremental_s, incremental_counts = one_run()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        fake.kill()
        fake.wait(10)

    print(f"{'run':<12} {'seconds':>8}  offices created/updated  staff created/updated  "
          "assignments created/updated/unchanged")
    for label, seconds, counts in (("first", first_s, first_counts),
                                   ("incremental", incremental_s, incremental_counts)):
        o, e, a = (counts.get(k, {}) for k in ("offices", "employees", "assignments"))
        print(f"{label:<12} {seconds:>8.1f}  {o.get('created', 0):>7}/{o.get('updated', 0):<15} "
              f"{e.get('created', 0):>7}/{e.get('updated', 0):<13} "
              f"{a.get('created', 0):>7}/{a.get('updated', 0)}/{a.get('unchanged', 0)}")
    print(f"peak RSS of the syncing process: {peak:.0f} MiB")
    print(json.dumps({"offices": args.offices, "employees": args.employees, "assignments": args.assignments,
                      "changed": args.changed, "first_run_s": round(first_s, 2),
                      "incremental_s": round(incremental_s, 2), "peak_rss_mib": round(peak, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
