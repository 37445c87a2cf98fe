"""OCR benchmark: pages/minute through DokVault's OCR against the `tesseract` CLI alone.

    .venv/bin/python bench/ocr.py                 # 10 pages, 2 rounds
    .venv/bin/python bench/ocr.py -n 20 --rounds 3
    .venv/bin/python bench/ocr.py --quick         # CI smoke run: 3 pages, 1 round
    .venv/bin/python bench/ocr.py --upside-down 2 # two of the pages scanned upside down

A4 pages of Norwegian brokerage text (DejaVu Sans 11 pt, 300 dpi greyscale PNG, like a
flatbed scan) are generated before anything is timed. Each round then reads every page:

* dokvault     - `dokvault.extract.extract(page, ".png")`, the call the worker makes: Tesseract
                 nor+eng psm 3 (plus an orientation pass only for pages read with low
                 confidence), TSV parsing, language detection.
* tesseract    - `tesseract page.png stdout -l nor+eng --psm 3`, one process a page, in the
                 environment as it is (OpenMP threads as the build chooses).
* tesseract-1t - the same with OMP_THREAD_LIMIT=1, which DokVault sets for its own calls.

The three ways take turns page by page (in rotating order), so load from anything else on
the machine falls on all of them alike; each round's total per way is kept, and the median
round gives pages/minute.

The ratio is DokVault's pages/minute over the *faster* of the two CLI runs. Also measured,
not part of the ratio: the same pages as one image-only PDF through `extract(..., ".pdf")`
(adds rendering at 300 dpi), and that scan made searchable from the same reading (the
text layers laid under the pages, no second OCR), alone and with the reading: the whole
cost of a scanned PDF in the worker. Word accuracy against the generated text is printed
for each way, so speed is not bought with worse reading.
The last line of output is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ingest import NAMES, PLACES, SENTENCES, STREETS  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DPI = 300
LANG = "nor+eng"
PSM = "3"


def log(message: str) -> None:
    print(message, flush=True)


# --- pages ------------------------------------------------------------------------------------


def page_text(rng: random.Random) -> str:
    sentences = []
    for _ in range(22):  # about 40 lines of 11 pt: a full page
        sentences.append(rng.choice(SENTENCES).format(
            addr=f"{rng.choice(STREETS)} {rng.randint(1, 120)}", place=rng.choice(PLACES),
            buyer=rng.choice(NAMES), broker=rng.choice(NAMES),
            price=f"{rng.randint(1_500, 14_000) * 1000:,}".replace(",", " "),
            fee=rng.randint(1_800, 7_500), date=f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.2026",
            gnr=rng.randint(1, 300), bnr=rng.randint(1, 900), area=rng.randint(300, 2500)))
    return " ".join(sentences)


def render(text: str):
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(8.27 * DPI), int(11.69 * DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    size = round(11 * DPI / 72)
    font = ImageFont.truetype(str(FONT), size)
    margin = int(0.8 * DPI)
    y = margin
    for line in textwrap.wrap(text, 78):
        draw.text((margin, y), line, fill=0, font=font)
        y += int(size * 1.45)
    return image


def generate(count: int, upside_down: int, folder: Path, seed: int) -> tuple[list[Path], list[str], Path]:
    rng = random.Random(seed)
    paths, texts, images = [], [], []
    for index in range(count):
        text = page_text(rng)
        image = render(text)
        if index < upside_down:
            image = image.rotate(180)
        path = folder / f"side-{index:03d}.png"
        image.save(path, dpi=(DPI, DPI))
        paths.append(path)
        texts.append(text)
        images.append(image)
    pdf = folder / "skannet.pdf"
    images[0].save(pdf, save_all=True, append_images=images[1:], resolution=DPI)
    return paths, texts, pdf


def word_share(expected: str, text: str) -> float:
    found = {w.lower() for w in re.findall(r"\w+", text)}
    wanted = re.findall(r"\w+", expected)
    return sum(w.lower() in found for w in wanted) / len(wanted)


# --- the ways of reading ----------------------------------------------------------------------


def read_dokvault(path: Path, env: dict) -> str:
    from dokvault.extract import extract

    return extract(path, ".png").text


def read_cli(path: Path, env: dict) -> str:
    done = subprocess.run(["tesseract", str(path), "stdout", "-l", LANG, "--psm", PSM],
                          capture_output=True, env=env, check=True)
    return done.stdout.decode("utf-8", "replace")


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="pages (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds per way (default 2)")
    parser.add_argument("--upside-down", type=int, default=0, help="pages scanned upside down")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="3 pages, 1 round")
    args = parser.parse_args()
    if args.quick:
        args.n, args.rounds = 3, 1
    if args.n < 1 or args.rounds < 1 or not 0 <= args.upside_down <= args.n:
        parser.error("need n >= 1, rounds >= 1 and 0 <= upside-down <= n")
    if shutil.which("tesseract") is None:
        log("tesseract is not installed (scripts/ensure-system.sh)")
        print(json.dumps({"ok": False, "error": "tesseract missing"}))
        return 1
    if not FONT.exists():
        raise SystemExit(f"font {FONT} is missing (apt-get install fonts-dejavu-core)")

    from dokvault.extract import extract, ocr

    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout
    log(f"{version.splitlines()[0]}; {os.cpu_count()} CPUs; OMP_THREAD_LIMIT in caller's env: "
        f"{os.environ.get('OMP_THREAD_LIMIT', '(unset)')}")
    work = Path(tempfile.mkdtemp(prefix="dokvault-bench-ocr-"))
    try:
        started = time.perf_counter()
        paths, expected, pdf = generate(args.n, args.upside_down, work, args.seed)
        log(f"generated {args.n} pages ({args.upside_down} upside down) in "
            f"{time.perf_counter() - started:.1f} s in {work}")

        # Warm-up, untimed: DokVault's one-off costs (tesseract --list-langs, the language
        # model) and the page cache for the traineddata files, for every way alike.
        read_dokvault(paths[0], {})
        read_cli(paths[0], dict(os.environ))

        ways = {
            "dokvault": (read_dokvault, {}),
            "tesseract": (read_cli, dict(os.environ)),
            "tesseract-1t": (read_cli, dict(os.environ, OMP_THREAD_LIMIT="1")),
        }
        seconds: dict[str, list[float]] = {name: [] for name in ways}
        texts: dict[str, list[str]] = {name: [] for name in ways}
        for round_number in range(args.rounds):
            spent = dict.fromkeys(ways, 0.0)
            for index, path in enumerate(paths):
                # Page by page, the ways in turn and in rotating order: a machine whose load
                # drifts during the run then slows every way alike.
                names = list(ways)
                shift = (index + round_number) % len(names)
                for name in names[shift:] + names[:shift]:
                    read, env = ways[name]
                    elapsed, text = timed(read, path, env)
                    spent[name] += elapsed
                    if round_number == 0:
                        texts[name].append(text)
            for name in ways:
                seconds[name].append(spent[name])
                log(f"  round {round_number + 1} {name:13s} {spent[name]:6.2f} s "
                    f"({args.n / spent[name] * 60:6.1f} pages/min)")

        def per_min(name: str) -> float:
            return args.n / statistics.median(seconds[name]) * 60

        def accuracy(name: str) -> float:
            return statistics.mean(word_share(e, t) for e, t in zip(expected, texts[name], strict=True))

        figures: dict = {"pages": args.n, "rounds": args.rounds, "upside_down": args.upside_down,
                         "ocr_page_timeout_s": ocr.OCR_PAGE_TIMEOUT_S}
        for name in ways:
            key = name.replace("-", "_")
            figures[f"{key}_pages_per_min"] = round(per_min(name), 1)
            figures[f"{key}_word_accuracy"] = round(accuracy(name), 3)

        from dokvault.extract.searchable import make_searchable_pdf

        read_s, result = timed(extract, pdf, ".pdf")
        figures["dokvault_scanned_pdf_pages_per_min"] = round(args.n / read_s * 60, 1)
        figures["dokvault_scanned_pdf_ocr_pages"] = result.ocr_pages
        figures["dokvault_scanned_pdf_word_accuracy"] = round(word_share(" ".join(expected), result.text), 3)
        lay_s, made = timed(make_searchable_pdf, pdf, work / "searchable.pdf", ".pdf", result.text_layers)
        figures["searchable_pdf_made"] = made
        figures["searchable_pdf_ms_per_page"] = round(lay_s / args.n * 1000, 1)
        figures["scanned_pdf_with_searchable_pages_per_min"] = round(args.n / (read_s + lay_s) * 60, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    best_cli = max(figures["tesseract_pages_per_min"], figures["tesseract_1t_pages_per_min"])
    figures["ratio"] = round(figures["dokvault_pages_per_min"] / best_cli, 3)
    figures["ratio_vs_default_cli"] = round(
        figures["dokvault_pages_per_min"] / figures["tesseract_pages_per_min"], 3)
    figures["target_ratio"] = 0.9

    log("")
    log(f"{'way':28s} {'pages/min':>10s} {'words read':>11s}")
    for name in ways:
        key = name.replace("-", "_")
        log(f"{name:28s} {figures[f'{key}_pages_per_min']:10.1f} "
            f"{figures[f'{key}_word_accuracy']:10.1%}")
    log(f"{'dokvault, scanned PDF':28s} {figures['dokvault_scanned_pdf_pages_per_min']:10.1f} "
        f"{figures['dokvault_scanned_pdf_word_accuracy']:10.1%}")
    log(f"{'  + searchable PDF':28s} {figures['scanned_pdf_with_searchable_pages_per_min']:10.1f}"
        f"  (laying the text layers: {figures['searchable_pdf_ms_per_page']} ms a page)")
    log(f"ratio dokvault / fastest tesseract CLI: {figures['ratio']:.2f} (target >= 0.9)")
    figures["ok"] = True
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
