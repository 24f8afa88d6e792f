"""Expensive query forms against the web app: each alone, then 8 in flight beside a search.

    python -m bench.hostile_queries [--index /tmp/hq_index] [--inflight 8] [--timeout 60]

Builds nothing: index ``../shared/corpus`` first (``pressearch reindex --corpus
/work/shared/corpus --index /tmp/hq_index``). Each query goes through ``web.create_app``'s test
client, as JSON (``/api/search``, limit 300 ms) and as CSV (``/export.csv``, body read whole,
limit 2 s); a 400 is an accepted answer. Then ``--inflight`` of them run in threads while an
ordinary search is timed (limit 1 s). Each measurement runs in a forked child of the warmed
app, killed after ``--timeout`` seconds ("> N s"), so that a run before the limits existed ends
too and a slow request left behind cannot slow the next measurement.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from web import create_app

HOSTILE = [
    " ".join(f"*{c}*" for c in "abcdefghijklmnopqrstuvwxyz"),
    " ".join(f"{c}*" for c in "abcdefghijklmnopqrst"),
    "body:[a TO z]",
    '"the president said"~1000000',
    "*a*",
]
# Allowed forms at the limits, which must stay as fast (bounded, or cut by the time budget).
NEAR_LIMITS = [
    "a* b* c* d*",
    "a*",
    "s?a*",
    '"the president said"~10',
    '"the president said"',
    "the",
]
ORDINARY = ["governor water", "president", '"climate change"', "trade mission korea"]
NEWLINE = b"\n"
LIMITS = {"api": 0.3, "csv": 2.0, "ordinary": 1.0}


def request(client, kind: str, query: str) -> tuple[int, float, str]:
    """(status, seconds, note) of one request; the CSV body is read to the end."""
    path = "/api/search?" if kind == "api" else "/export.csv?"
    started = time.perf_counter()
    response = client.get(path + urlencode({"q": query}))
    body = response.get_data()
    seconds = time.perf_counter() - started
    note = ""
    if response.status_code == 200 and kind == "api":
        data = response.get_json()
        note = f"total {data['total']}" + (" partial" if data.get("partial") else "")
    elif response.status_code == 200:
        note = f"{body.count(NEWLINE) - 1} rows"
    return response.status_code, seconds, note


def verdict(kind: str, status: int, seconds: float) -> str:
    return "ok" if status == 400 or (status == 200 and seconds < LIMITS[kind]) else "FAIL"


def in_child(work: Callable[[], Any], timeout: float) -> Any:
    """``work()`` in a forked child; None when it did not finish within ``timeout`` seconds."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=lambda: send.send(work()), daemon=True)
    child.start()
    result = receive.recv() if receive.poll(timeout) else None
    child.kill()
    child.join()
    return result


def alone(app, timeout: float) -> None:
    print(f"{'query':36} {'via':4} {'status':>6} {'ms':>9}  {'':4} note")
    for query in HOSTILE + NEAR_LIMITS:
        for kind in ("api", "csv"):
            got = in_child(lambda k=kind, q=query: request(app.test_client(), k, q), timeout)
            if got is None:
                print(
                    f"{query[:36]:36} {kind:4} {'-':>6} {'> ' + str(int(timeout)) + ' s':>9}  FAIL"
                )
                continue
            status, seconds, note = got
            print(
                f"{query[:36]:36} {kind:4} {status:>6} {seconds * 1000:>9.1f}  "
                f"{verdict(kind, status, seconds):4} {note}"
            )


def inflight(app, count: int, timeout: float) -> list[str]:
    """``count`` hostile requests (API and CSV in turn) in threads, ordinary searches timed."""
    done: list[float] = []

    def run(kind: str, query: str) -> None:
        done.append(request(app.test_client(), kind, query)[1])

    for i in range(count):
        kind = "api" if i % 2 == 0 else "csv"
        args = (kind, HOSTILE[i % len(HOSTILE)])
        threading.Thread(target=run, args=args, daemon=True).start()
    time.sleep(0.05)  # let them start
    client = app.test_client()
    lines = []
    for query in ORDINARY:
        status, seconds, note = request(client, "api", query)
        lines.append(
            f"  ordinary {query!r:28} {status} {seconds * 1000:9.1f} ms  "
            f"{verdict('ordinary', status, seconds)} {note}"
        )
    time.sleep(max(0.0, 2.0 - sum(done)))  # let the hostile ones end, if they will
    lines.append(f"  hostile requests finished by then: {len(done)} of {count}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="/tmp/hq_index")
    parser.add_argument("--inflight", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--skip-alone", action="store_true")
    args = parser.parse_args()
    app = create_app({"INDEX_DIR": args.index, "TESTING": True})
    app.test_client().get("/api/search?q=warmup")  # open the index, read columns
    gc.freeze()  # forked children then share the heap instead of copying it on their first GC
    if not args.skip_alone:
        alone(app, args.timeout)
    print(f"\nwith {args.inflight} hostile requests in flight:")
    lines = in_child(lambda: inflight(app, args.inflight, args.timeout), args.timeout)
    print("\n".join(lines) if lines else f"  not done in {args.timeout:.0f} s: FAIL")


if __name__ == "__main__":
    main()
