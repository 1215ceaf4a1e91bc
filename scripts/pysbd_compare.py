#!/usr/bin/env python3
"""pySBD next to audarma: segmentation speed on the benchmark corpus, and the Golden Rules pass counts.

    pip install pysbd==0.3.4
    python3 scripts/pysbd_compare.py            # both parts
    python3 scripts/pysbd_compare.py --speed    # speed only
    python3 scripts/pysbd_compare.py --golden   # Golden Rules only

The corpus is built exactly as `crates/audarma-bench/src/lib.rs` builds it for
`cargo bench -p audarma-bench --bench segment` (same files, same rule, same size): for each language the
`.txt`/`.md` files in examples/releases/ named `<lang>-*`, sorted, split at blank lines; a block is kept when it is
one line of at least 80 characters, does not start with `#` and ends with . ! ? » ” or "; the kept paragraphs are
repeated in order, joined by blank lines, until the text reaches --mb megabytes (10^6 bytes), plus a final line
break. When the Rust bench has written target/bench-corpus/<lang>.txt, the script checks that it is byte-identical.

Golden Rules: /work/shared/golden-rules/{en,ru,kk}.jsonl (override with --golden-dir). Each case is run with the
upstream options (Segmenter(clean=options.clean, doc_type=options.doc_type)), as pySBD's own test suite does, and
again with clean=False for every case (raw text in, as audarma gets it; doc_type is dropped because pySBD refuses
doc_type="pdf" without clean). pySBD's sentences are stripped (its own tests do the same); where options.clean is
true both sides are compared with whitespace collapsed and empty sentences dropped, as audarma's test does.
"""

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

import pysbd

ROOT = Path(__file__).resolve().parent.parent
LANGS = ["en", "ru", "kk"]
ENDINGS = (".", "!", "?", "»", "”", '"')


def paragraphs(lang):
    out = []
    files = sorted(p for p in (ROOT / "examples" / "releases").iterdir()
                   if p.name.startswith(f"{lang}-") and p.suffix in (".txt", ".md"))
    for path in files:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        for block in text.split("\n\n"):
            block = block.strip()
            if "\n" not in block and len(block) >= 80 and not block.startswith("#") and block.endswith(ENDINGS):
                out.append(block)
    assert out, f"no paragraphs for {lang}"
    return out


def corpus(lang, target_bytes):
    base = paragraphs(lang)
    out, size, i = [], 0, 0
    while size < target_bytes:
        p = base[i % len(base)]
        out.append(p)
        size += len(p.encode("utf-8")) + 2
        i += 1
    return out, "\n\n".join(out) + "\n"


def timed(reps, fn):
    times = []
    result = None
    for _ in range(reps):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def speed(args):
    print(f"pySBD {pysbd_version()} speed, clean=False, {args.reps} repetition(s), MB = 10^6 bytes")
    print(f"{'lang':<4} {'what':<28} {'MB':>6} {'sentences':>10} {'median s':>9} {'MB/s med':>9} {'MB/s best':>10}")
    for lang in LANGS:
        paras, text = corpus(lang, int(args.mb * 1e6))
        rust = ROOT / "target" / "bench-corpus" / f"{lang}.txt"
        if rust.exists():
            same = rust.read_text(encoding="utf-8") == text
            if not same:
                print(f"warning: {rust} differs from this corpus (different --mb or AUDARMA_BENCH_MB?)", file=sys.stderr)
        seg = pysbd.Segmenter(language=lang, clean=False)
        seg.segment(paras[0])  # warm-up (regex compilation)
        nbytes = len(text.encode("utf-8"))
        med, best, out = timed(args.reps, lambda: seg.segment(text))
        row(lang, "whole corpus, one call", nbytes, len(out), med, best)
        if not args.no_per_paragraph:
            pbytes = sum(len(p.encode("utf-8")) for p in paras)
            med, best, n = timed(args.reps, lambda: sum(len(seg.segment(p)) for p in paras))
            row(lang, "per paragraph", pbytes, n, med, best)
        sys.stdout.flush()


def row(lang, what, nbytes, sentences, med, best):
    mb = nbytes / 1e6
    print(f"{lang:<4} {what:<28} {mb:>6.2f} {sentences:>10} {med:>9.2f} {mb / med:>9.2f} {mb / best:>10.2f}")


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def golden(args):
    print(f"pySBD {pysbd_version()} on the Golden Rules cases in {args.golden_dir}")
    for mode in ("upstream options", "clean=False for all"):
        for lang in LANGS:
            path = Path(args.golden_dir) / f"{lang}.jsonl"
            if not path.exists():
                print(f"{path} not found, skipping")
                continue
            passed, total, failing = 0, 0, []
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                case = json.loads(line)
                opts = case.get("options") or {}
                clean = bool(opts.get("clean"))
                if mode == "upstream options":
                    seg = pysbd.Segmenter(language=lang, clean=clean, doc_type=opts.get("doc_type"))
                else:
                    seg = pysbd.Segmenter(language=lang, clean=False)
                got = [s.strip() for s in seg.segment(case["text"])]
                got = [s for s in got if s]
                exp = case["expected"]
                if clean:
                    got = [c for c in map(collapse, got) if c]
                    exp = [c for c in map(collapse, exp) if c]
                total += 1
                if got == exp:
                    passed += 1
                else:
                    failing.append(case["id"])
            print(f"golden-rules pysbd [{mode}] {lang}: {passed}/{total} failing: {' '.join(failing)}")


def pysbd_version():
    try:
        from importlib.metadata import version
        return version("pysbd")
    except Exception:  # noqa: BLE001
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speed", action="store_true", help="only the speed part")
    ap.add_argument("--golden", action="store_true", help="only the Golden Rules part")
    ap.add_argument("--mb", type=float, default=4.0, help="corpus size per language in MB (default 4, as the bench)")
    ap.add_argument("--reps", type=int, default=3, help="timed repetitions (default 3)")
    ap.add_argument("--no-per-paragraph", action="store_true", help="skip the per-paragraph timing")
    ap.add_argument("--golden-dir", default=str(ROOT.parent / "shared" / "golden-rules"))
    args = ap.parse_args()
    both = not args.speed and not args.golden
    if args.golden or both:
        golden(args)
    if args.speed or both:
        speed(args)


if __name__ == "__main__":
    main()
