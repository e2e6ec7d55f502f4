"""Cold command-line turns and the server's first turn as the knowledge base grows.

Builds one lexical base from the three shared corpora (`--copies 1`: about 25k chunks, as
`smart-copilot ingest ../shared/corpora --kb corpora`) or from several copies of them under
`copy<i>/` sources (`--copies 4`: about 100k chunks; synthetic scaling: document
frequencies and postings grow with the copies, the vocabulary does not). Then measures, as
separate processes: `smart-copilot analyze` and `ask` (CPU seconds user+sys and peak RSS
from /usr/bin/time, median of --runs), and a server-like process that builds the copilot
once and answers its first and second turn (CPU seconds of each step, median of --runs; peak RSS).

    nice -n 10 python benchmarks/kb_scale.py --data /tmp/sc-scale --copies 1 4
    python benchmarks/kb_scale.py --data /tmp/sc-scale --copies 1 --cli /work/main/.venv/bin/smart-copilot  # another build
    # before/after in one run: each checkout's own code (cwd + PYTHONPATH), runs interleaved
    git archive main | tar -x -C /tmp/before
    nice -n 10 python benchmarks/kb_scale.py --data /tmp/sc-scale --code /tmp/before .

Bytecode: the processes run as an installed package does, from compiled `__pycache__`
files (each checkout is byte-compiled first; PYTHONDONTWRITEBYTECODE is dropped from their
environment). `--no-bytecode` runs them with PYTHONDONTWRITEBYTECODE=1 and no cache files
of the project's own modules, so every cold process compiles them from source (+0.2 CPU-s;
the way the figures before issue 15's second session were taken).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"
QUESTION = "istio sidecar 注入失败怎么办"
SERVER = """
import json, resource, sys, time, uuid
run = uuid.uuid4().hex[:8]  # the data dir keeps conversations: each run its own sessions
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
t = cpu()
from app.settings import load_settings
from app.wiring import build_copilot
steps = {"imports": cpu() - t}; t = cpu()
copilot = build_copilot(load_settings())
steps["build_copilot"] = cpu() - t; t = cpu()
copilot.ask(sys.argv[1], f"first-{run}", kb="corpora")
steps["first_turn"] = cpu() - t; t = cpu()
copilot.ask(sys.argv[1] + "？", f"second-{run}", kb="corpora")
steps["second_turn"] = cpu() - t
steps["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(steps))
"""


def build(data: Path, copies: int) -> int:
    """The `corpora` base in `data` (reused when present); returns its chunk count."""
    from knowledge.config import KnowledgeSettings
    from knowledge.ingest import ingest_files
    from knowledge.ingest_sources import collect_files
    from knowledge.service import KnowledgeService
    from models.embeddings.hash import HashEmbedder

    ks = KnowledgeService(KnowledgeSettings(dense="off"), data, HashEmbedder(dim=8), background=False)
    try:
        if not ks.has_kb("corpora"):
            files = collect_files([CORPORA], ks.settings.skip_names)
            if copies > 1:
                files = [(path, f"copy{i}/{source}") for i in range(copies) for path, source in files]
            start = time.process_time()
            ingest_files(ks.catalog, ks.corpus, ks.settings, "corpora", files)
            ks.finish_lexical("corpora")
            lexical = time.process_time() - start
            ks.calibrate("corpora")  # as `smart-copilot ingest` does: selection bars stored with the base
            print(f"built {data}: {len(files)} files in {lexical:.0f} CPU-s, "
                  f"calibration {time.process_time() - start - lexical:.0f} CPU-s", flush=True)
        return ks.catalog.kb_stats("corpora")["chunks"]
    finally:
        ks.close()


PACKAGES = ("app", "graph", "knowledge", "models", "tools")


def env_for(data: Path, dense: str, code: Path, bytecode: bool) -> dict:
    env = dict(os.environ, SMART_COPILOT__DATA_DIR=str(data), SMART_COPILOT__KNOWLEDGE__DENSE=dense,
               PYTHONPATH=str(code))
    env.pop("SMART_COPILOT_CONFIG", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def prepare_bytecode(code: Path, bytecode: bool) -> None:
    """Compile the checkout's packages (as `pip install` does), or remove their cache files."""
    if bytecode:
        subprocess.run([sys.executable, "-m", "compileall", "-q", *PACKAGES], cwd=code, check=True,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                       stdout=subprocess.DEVNULL)
        return
    for package in PACKAGES:
        for cache in (code / package).rglob("__pycache__"):
            for pyc in cache.glob("*.pyc"):
                pyc.unlink()


def cli_run(cli: list[str], command: str, data: Path, dense: str, code: Path, bytecode: bool) -> tuple[float, float]:
    """(CPU seconds user+sys, peak RSS MB) of one cold CLI process running `code`'s modules."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", *cli, command, QUESTION, "--kb", "corpora", "--json"],
                          env=env_for(data, dense, code, bytecode), cwd=code, capture_output=True, text=True,
                          timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"{command} failed: {proc.stderr[-2000:]}")
    user, system, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(user) + float(system), int(rss) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/tmp/sc-scale"))
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli", default=f"{sys.executable} -m app", help="command that runs smart-copilot")
    parser.add_argument("--code", type=Path, nargs="+", default=[ROOT],
                        help="checkouts whose code runs (several: compared in one run, their runs interleaved)")
    parser.add_argument("--no-bytecode", action="store_true", help="compile the project's modules in every process")
    parser.add_argument("--dense", default='"off"', help="knowledge.dense for the runs (YAML scalar)")
    parser.add_argument("--no-server", action="store_true")
    args = parser.parse_args()
    cli = args.cli.split()
    codes = [c.resolve() for c in args.code]
    bytecode = not args.no_bytecode
    sys.dont_write_bytecode = not bytecode  # this process imports the knowledge layer too (build)
    for code in codes:
        prepare_bytecode(code, bytecode)
    print(f"load average at start: {os.getloadavg()[0]:.1f}; knowledge.dense={args.dense}; cli: {args.cli}; "
          f"bytecode cache: {'yes' if bytecode else 'no (PYTHONDONTWRITEBYTECODE=1)'}")
    rows, servers = [], []
    for copies in args.copies:
        data = args.data / f"x{copies}"
        chunks = build(data, copies)
        runs: dict[tuple[Path, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):  # interleaved: every checkout sees the same load
            for code in codes:
                for command in ("analyze", "ask"):
                    runs.setdefault((code, command), []).append(cli_run(cli, command, data, args.dense, code, bytecode))
        for (code, command), got in runs.items():
            cpus = [c for c, _ in got]
            rows.append(f"| {code} | {chunks} | {command} | {statistics.median(cpus):.2f} | "
                        f"{', '.join(f'{c:.2f}' for c in cpus)} | {max(r for _, r in got):.0f} |")
        if not args.no_server:
            steps: dict[Path, list[dict]] = {}
            for _ in range(args.runs):
                for code in codes:
                    proc = subprocess.run([sys.executable, "-c", SERVER, QUESTION], cwd=code,
                                          env=env_for(data, args.dense, code, bytecode),
                                          capture_output=True, text=True, timeout=900)
                    if proc.returncode != 0:
                        raise SystemExit(proc.stderr[-2000:])
                    steps.setdefault(code, []).append(json.loads(proc.stdout.strip().splitlines()[-1]))
            for code, got in steps.items():  # median of each step over the runs; peak RSS: the largest
                servers.append((code, chunks, {k: (max if k == "peak_rss_mb" else statistics.median)(g[k] for g in got)
                                               for k in got[0]}))
    print("\n| code | chunks | command | CPU-s (median of runs) | runs | peak RSS MB |")
    print("|---|---:|---|---:|---|---:|")
    print("\n".join(rows))
    if servers:
        print("\n| code | chunks | imports CPU-s | build_copilot | first turn | second turn | peak RSS MB |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for code, chunks, st in servers:
            print(f"| {code} | {chunks} | {st['imports']:.2f} | {st['build_copilot']:.2f} | {st['first_turn']:.2f} | "
                  f"{st['second_turn']:.2f} | {st['peak_rss_mb']:.0f} |")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
