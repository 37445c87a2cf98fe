"""Training cost of the `local` classifier: time and peak memory at 10k generated documents.
Target: < 60 s and < 300 MiB.

    .venv/bin/python bench/train.py [-n 10000]

Runs in a child process so the peak is that of a clean process doing only this: import
DokVault's classifier, generate the documents (tests/eval/generate.py training pool; kept in
memory, as a caller holding the confirmed documents would), then `train()`. Peak memory is
the child's ru_maxrss (the whole process, Python and libraries included); RSS is also
sampled every 10 ms during training, and the RSS before training is printed to show what the
training itself adds. Also: the size of the signed model file, and save/load/predict times.
The documents carry their field labels, so the field model (the newest 3,000) is trained too.
The last line is one JSON object of the figures. No asserts.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def child(n: int) -> dict:
    import tempfile

    import psutil

    sys.path.insert(0, str(ROOT))
    from dokvault.ai import local, local_file, local_provider
    from dokvault.ai.taxonomy_seed import seed_taxonomy
    from dokvault.ai.types import TrainingSample
    from tests.eval.generate import training_pool

    process = psutil.Process()
    rss_after_import = process.memory_info().rss
    started = time.perf_counter()
    samples = [TrainingSample(d["text"], d["type"], tuple(d["tags"]), d["id"], fields=d["fields"])
               for d in training_pool(n)]
    generate_s = time.perf_counter() - started
    rss_before = process.memory_info().rss

    sampled_peak = rss_before
    done = threading.Event()

    def sample() -> None:
        nonlocal sampled_peak
        while not done.wait(0.01):
            sampled_peak = max(sampled_peak, process.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    bundle = local.train(samples, taxonomy=seed_taxonomy())
    train_s, train_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    done.set()
    sampler.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB

    key = b"bench-key-bench-key-bench-key-32"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.dvm"
        started = time.perf_counter()
        local_file.save(bundle, path, key)
        save_s = time.perf_counter() - started
        size = path.stat().st_size
        started = time.perf_counter()
        provider = local_provider.LocalProvider(path=path, key=key)
        load_s = time.perf_counter() - started
    taxonomy = seed_taxonomy()
    probe = [s.text for s in samples[:200]]
    started = time.perf_counter()
    for text in probe:
        provider.suggest(text, taxonomy)
    predict_ms = (time.perf_counter() - started) * 1000 / len(probe)
    return {
        "n": n, "train_seconds": round(train_s, 2), "peak_rss_mib": round(peak / MIB, 1),
        "sampled_peak_rss_mib": round(sampled_peak / MIB, 1),
        "rss_after_import_mib": round(rss_after_import / MIB, 1),
        "rss_before_train_mib": round(rss_before / MIB, 1),
        "train_added_mib": round((max(peak, sampled_peak) - rss_before) / MIB, 1),
        "generate_seconds": round(generate_s, 2), "model_file_mib": round(size / MIB, 2),
        "save_seconds": round(save_s, 3), "load_seconds": round(load_s, 3),
        "predict_ms_per_doc": round(predict_ms, 2), "kept_columns": int(len(bundle.columns)),
        "types": len(bundle.type_classes), "tags": len(bundle.tag_names), "temperature": bundle.temperature,
        "train_cpu_seconds": round(train_cpu_s, 2),  # the same on a busy machine (wall time is not)
        "rule_weight": bundle.rule_weight, "field_models": len(bundle.fields.keys) if bundle.fields else 0,
        "field_documents": bundle.fields.documents if bundle.fields else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10_000, help="generated training documents (default 10000)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.n)))
        return 0

    result = subprocess.run([sys.executable, __file__, "--child", "-n", str(args.n)], cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        print(result.stdout[-3000:] + result.stderr[-3000:], file=sys.stderr)
        print(json.dumps({"n": args.n, "ok": False}))
        return 1
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["time_target_met"] = figures["train_seconds"] < 60
    figures["memory_target_met"] = max(figures["peak_rss_mib"], figures["sampled_peak_rss_mib"]) < 300
    figures["ok"] = True
    rows = [
        ("documents", f"{figures['n']}"),
        ("training time", f"{figures['train_seconds']:.2f} s   (target < 60 s)"),
        ("peak RSS (ru_maxrss)", f"{figures['peak_rss_mib']:.1f} MiB   (target < 300 MiB)"),
        ("peak RSS (sampled)", f"{figures['sampled_peak_rss_mib']:.1f} MiB"),
        ("RSS after imports", f"{figures['rss_after_import_mib']:.1f} MiB"),
        ("RSS before training", f"{figures['rss_before_train_mib']:.1f} MiB (imports + documents)"),
        ("added by training", f"{figures['train_added_mib']:.1f} MiB"),
        ("model file", f"{figures['model_file_mib']:.2f} MiB ({figures['kept_columns']} columns, "
                       f"{figures['types']} types, {figures['tags']} tags)"),
        ("save / load", f"{figures['save_seconds']:.3f} s / {figures['load_seconds']:.3f} s"),
        ("predict", f"{figures['predict_ms_per_doc']:.2f} ms per document"),
    ]
    for name, value in rows:
        print(f"{name:<22} {value}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
