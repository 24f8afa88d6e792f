"""Load benchmark of ``pressearch serve``: mixed faceted searches at 4 and 16 concurrent clients.

Starts the real server (waitress, 127.0.0.1, a free port) on an index, draws a reproducible mix
of search URLs from the index itself (1-3 words from release titles, random region and year
filters, some second pages, some sorted by date), then drives it closed-loop: each client sends
its next request when the previous answer arrived. Uses wrk (Debian package) when it is on PATH,
else a small Python client with threads. Prints requests/s, p50/p95/p99 and errors per level.

    .venv/bin/python bench/load.py --index bench/out/shared-index            # 30 s per level
    .venv/bin/python bench/load.py --index index --duration 5 --clients 4    # quick look
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
STOP = frozenset(
    "the and for with from that this will into over about after their more than have has were "
    "been said also which when what where they them its his her our are was not but all new "
    "une des les und der die das den von mit para los las del por".split()
)


def start_server(index: Path, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    """``pressearch serve`` on a free port; returns the process and its base URL."""
    exe = Path(sys.executable).with_name("pressearch")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "search.cli"]
    cmd += ["serve", "--index", str(index), "--port", "0", "--workers", str(workers),
            "--threads", str(threads)]  # fmt: skip
    log = ROOT / "bench" / "out" / "load-serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as err:  # the server's own log lines stay out of the table
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            raise SystemExit(f"pressearch serve exited with {proc.returncode}")
        m = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if m:
            return proc, m.group(1)
    proc.kill()
    raise SystemExit("pressearch serve did not print its URL within 120 s")


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def make_urls(base: str, n: int, seed: int) -> list[str]:
    """``n`` search paths drawn reproducibly from the index's own titles and facet values."""
    rng = random.Random(seed)
    everything = get_json(f"{base}/api/search?per_page=100&sort=newest")
    total = everything["total"]
    regions = [v["value"] for v in everything["facets"]["region"][:40]]
    years = [v["value"] for v in everything["facets"]["year"] if v["count"] >= 20]
    words: list[str] = []
    pages = range(1, min(-(-total // 100), 1000) + 1)
    for page in sorted(rng.sample(pages, k=min(5, len(pages)))):
        data = get_json(f"{base}/api/search?per_page=100&page={page}&sort=oldest")
        for hit in data["hits"]:
            words += [
                w.lower()
                for w in re.findall(r"[^\W\d_]{4,}", hit["title"])
                if w.lower() not in STOP
            ]
    if not words:
        raise SystemExit("the index has no titles to draw words from")
    paths = []
    for _ in range(n):
        params: list[tuple[str, str]] = [("q", " ".join(rng.sample(words, k=rng.randint(1, 3))))]
        if regions and rng.random() < 0.5:
            params.append(("region", rng.choice(regions)))
        if years and rng.random() < 0.4:
            params.append(("year", str(rng.choice(years))))
        if rng.random() < 0.2:
            params.append(("sort", rng.choice(["newest", "oldest"])))
        if rng.random() < 0.25:
            params.append(("page", "2"))
        paths.append("/search?" + urlencode(params))
    return paths


WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("PRESSEARCH_PATHS")) do paths[#paths + 1] = line end
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[((offset or 0) + i) % #paths + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"max": %d, "errors": %d, "status_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def run_wrk(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    """Closed-loop load with wrk: ``clients`` connections, latencies from wrk's histogram."""
    with tempfile.TemporaryDirectory() as tmp:
        script, listing = Path(tmp, "mix.lua"), Path(tmp, "paths.txt")
        script.write_text(WRK_SCRIPT)
        listing.write_text("\n".join(paths) + "\n")
        cmd = ["wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds:g}s",
               "--timeout", "10s", "-s", str(script), base]  # fmt: skip
        env = {**os.environ, "PRESSEARCH_PATHS": str(listing)}
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds + 60)
    m = re.search(r"RESULT (\{.*\})", out.stdout)
    if not m:
        raise SystemExit(f"wrk failed:\n{out.stdout}\n{out.stderr}")
    r = json.loads(m.group(1))
    return {
        "requests": r["requests"],
        "rps": r["requests"] / r["seconds"],
        "p50": r["p50"] / 1000,
        "p95": r["p95"] / 1000,
        "p99": r["p99"] / 1000,
        "max": r["max"] / 1000,
        "errors": r["errors"] + r["status_errors"],
    }


def run_python(
    base: str, paths: list[str], clients: int, seconds: float, max_requests: int
) -> dict:
    """Closed-loop load from threads with keep-alive connections (when wrk is absent)."""
    host = urlsplit(base)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    issued = [0]

    def client(k: int) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        i = k * 7919
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= max_requests:
                    break
                issued[0] += 1
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    return {
        "requests": len(latencies),
        "rps": len(latencies) / took,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "max": latencies[-1],
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / "out" / "shared-index")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per level")
    parser.add_argument("--clients", default="4,16", help="comma-separated concurrency levels")
    parser.add_argument("--workers", type=int, default=None, help="server processes")
    parser.add_argument("--threads", type=int, default=None, help="waitress threads per process")
    parser.add_argument("--urls", type=int, default=2000, help="distinct search URLs in the mix")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--max-requests", type=int, default=100_000, help="cap per level")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up")
    args = parser.parse_args()
    if not (args.index / "CURRENT").exists():
        raise SystemExit(
            f"no index in {args.index}; build it with: pressearch reindex "
            f"--corpus ../shared/corpus --index {args.index}"
        )
    levels = [int(c) for c in args.clients.split(",") if c.strip()]
    tool = args.tool
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    from web.serve import DEFAULT_THREADS, DEFAULT_WORKERS

    workers = args.workers or DEFAULT_WORKERS
    threads = args.threads or DEFAULT_THREADS
    proc, base = start_server(args.index, workers, threads)
    try:
        health = get_json(f"{base}/healthz")
        paths = make_urls(base, args.urls, args.seed)

        def load(clients: int, seconds: float) -> dict:
            if tool == "wrk":
                return run_wrk(base, paths, clients, seconds)
            return run_python(base, paths, clients, seconds, args.max_requests)

        load(max(levels), args.warmup)  # open searchers in every thread, fill caches
        print(f"pressearch serve: {health['documents']} documents, {workers} workers x "
              f"{threads} waitress threads, "
              f"load by {tool}, {args.duration:g} s per level, {len(paths)} distinct URLs "
              f"(seed {args.seed})")  # fmt: skip
        print(f"{'clients':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'p99 ms':>8} {'max ms':>8} {'errors':>7}")  # fmt: skip
        for clients in levels:
            r = load(clients, args.duration)
            print(f"{clients:>7} {r['requests']:>9} {r['rps']:>8.1f} {r['p50']:>8.1f} "
                  f"{r['p95']:>8.1f} {r['p99']:>8.1f} {r['max']:>8.1f} {r['errors']:>7}",
                  flush=True)  # fmt: skip
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
