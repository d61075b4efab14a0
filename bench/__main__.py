"""Benchmark and load harness for Relations (issues 5 and 7); see README "Benchmarks".

    python -m bench run     # every list, detail and page against its floor: rps, p50, p99, queries, ratio
    python -m bench load    # 32 clients for 60 s on the API lists and web list pages: rps, percentiles, errors
    python -m bench scale   # the same filtered contact lists with 1,000 and with 20,000 contacts, in alternating rounds
    python -m bench prepare # only prepare (or reuse) the database and print its row counts

Each mode prepares its database (bench.prepare), starts gunicorn on 127.0.0.1 with production-like
settings (bench.settings: DEBUG off, several workers) and drives it with wrk (installed from Debian's
packages with apt-get if missing). Results print as a table and go to bench/results/<mode>-*.json.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from bench.targets import SCALE_TARGETS, scale_targets

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / "work"
RESULTS = BENCH / "results"
BIN = Path(sys.executable).parent

# Generated data: the figures. "scale" uses these for the large database and 1/20 of them for the small one.
SIZES = {"organizations": 2000, "contacts": 20000, "events": 10000, "agreements": 5000}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- databases and the server's environment


def database_url(tag: str) -> str:
    """The database for one data set: BENCH_DATABASE_URL (PostgreSQL) with ``_<tag>`` appended, else a SQLite file."""
    base = os.environ.get("BENCH_DATABASE_URL", "")
    if not base:
        return f"sqlite:///{WORK / f'bench-{tag}.sqlite3'}"
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"BENCH_DATABASE_URL must be a postgres:// URL (got {base!r}); leave it unset for SQLite.")
    return f"{base.rstrip('/')}_{tag}"


def ensure_database(url: str, fresh: bool) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
        return
    import psycopg
    from psycopg import sql

    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_env(url: str) -> dict:
    """Production settings (README "Settings"), with the bench's database and a throttle it never reaches."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-key-not-a-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(WORK / "static"),
        # As behind a TLS-terminating proxy: the client sends X-Forwarded-Proto: https (bench/report.lua).
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        DJANGO_CONN_MAX_AGE="60",
        # Throttling stays on (its cache work is part of each request) at a rate the bench never reaches.
        RELATIONS_API_USER_RATE="1000000/second",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def prepare(url: str, sizes: dict, seed: int, fresh: bool) -> dict:
    ensure_database(url, fresh)
    log(f"Preparing {url} with {sizes} (seed {seed}) ...")
    started = time.perf_counter()
    arguments = [f"--{name}={value}" for name, value in sizes.items()]
    result = subprocess.run(
        [sys.executable, "-m", "bench.prepare", *arguments, f"--seed={seed}"],
        cwd=ROOT, env=server_env(url), stdout=subprocess.PIPE, check=True, text=True,
    )
    info = json.loads(result.stdout)
    log(f"  ready in {time.perf_counter() - started:.1f} s: {info['rows']}")
    for skipped in info["skipped"]:
        log(f"  skipped: {skipped}")
    return info


class Server:
    """gunicorn on 127.0.0.1 on a free port, stopped on exit."""

    def __init__(self, url: str, workers: int):
        self.url, self.workers = url, workers

    def __enter__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "relations.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--worker-class", "sync", "--log-level", "warning"],
            cwd=ROOT, env=server_env(self.url),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with status {self.process.returncode}")
            try:
                # Over "https" as the proxy says, or production settings redirect the probe to https.
                probe = urllib.request.Request(f"{self.base}/bench/floor/web/2", headers={"X-Forwarded-Proto": "https"})
                urllib.request.urlopen(probe, timeout=2)
            except urllib.error.HTTPError:
                break  # answering (a redirect to the login page or 4xx is fine here)
            except OSError:
                time.sleep(0.2)
                continue
            break
        else:
            raise SystemExit("gunicorn did not answer within 60 s")
        log(f"gunicorn with {self.workers} workers on {self.base}")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# ---------------------------------------------------------------- measuring


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing it from Debian's packages (apt-get) ...")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk") or "/usr/bin/wrk"


def headers(kind: str, info: dict) -> dict:
    base = {"X-Forwarded-Proto": "https"}
    if kind == "api":
        return {**base, "Authorization": f"Token {info['token']}", "Accept": "application/json"}
    return {**base, "Cookie": f"sessionid={info['session']}"}


def probe(base: str, kind: str, path: str, info: dict, warmup: int = 2, keep_body: bool = False) -> dict:
    """One request after a few warm-up ones (each worker's first request pays imports): status, size, queries,
    and its time alone (``single_ms``, no other client), which still says something when a page is too slow
    for any request to finish within the wrk duration."""
    for _ in range(warmup):
        request = urllib.request.Request(base + path, headers=headers(kind, info))
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body, status, queries = response.read(), response.status, response.headers.get("X-Bench-Queries")
        except urllib.error.HTTPError as error:
            body, status, queries = error.read(), error.code, error.headers.get("X-Bench-Queries")
    return {"status": status, "bytes": len(body), "queries": int(queries) if queries is not None else None,
            "single_ms": round((time.perf_counter() - started) * 1000, 1), **({"body": body} if keep_body else {})}


def wrk(base: str, info: dict, paths: list[tuple[str, str]], *, duration: float, connections: int,
        threads: int) -> dict:
    threads = max(1, min(threads, connections))
    command = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
               "-s", str(BENCH / "report.lua"), base, "--", info["token"], info["session"]]
    for kind, path in paths:
        command += [kind, path]
    output = subprocess.run(command, stdout=subprocess.PIPE, check=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    if not raw["requests"]:  # nothing finished within the duration: no latency to report
        return {"requests": 0, "rps": 0.0, "p50_ms": None, "p90_ms": None, "p99_ms": None, "max_ms": None,
                "mean_ms": None, "errors": raw["non2xx"] + raw["socket_errors"], "non2xx": raw["non2xx"],
                "socket_errors": raw["socket_errors"]}
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000, "p90_ms": raw["p90_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000, "mean_ms": round(raw["mean_us"] / 1000, 3),
        "errors": raw["non2xx"] + raw["socket_errors"], "non2xx": raw["non2xx"],
        "socket_errors": raw["socket_errors"],
    }


def combined(runs: list[dict]) -> dict:
    """Several wrk runs of one path as one: requests and errors summed, rates and latencies the median."""
    done = [run for run in runs if run["requests"]]
    result = {key: sum(run[key] for run in runs) for key in ("requests", "errors", "non2xx", "socket_errors")}
    for key in ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms"):
        values = [run[key] for run in done if run[key] is not None]
        result[key] = round(statistics.median(values), 3) if values else (0.0 if key == "rps" else None)
    return result


def select(targets: list[dict], only: str) -> list[dict]:
    return [t for t in targets if not only or any(word in t["name"] for word in only.split(","))]


def write(mode: str, record: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    engine = "postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite"
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{mode}-{engine}-{stamp}.json"
    record = {"mode": mode, "engine": engine, "at": stamp, **record}
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path


def table(rows: list[list], header: list[str]) -> str:
    cells = [header, *[["-" if c is None else str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ---------------------------------------------------------------- modes


def run_mode(args) -> int:
    url = database_url(args.tag)
    info = prepare(url, args.sizes, args.seed, args.fresh)
    load = {"duration_s": args.duration, "connections": args.connections, "threads": args.threads,
            "workers": args.workers}
    results = []
    rounds = max(1, args.rounds)
    slice_s = max(1, round(args.duration / rounds))
    load["rounds"], load["round_seconds"] = rounds, slice_s
    with Server(url, args.workers) as server:
        for target in select(info["targets"], args.only):
            single = probe(server.base, target["kind"], target["path"], info)
            row = {**target, **single}
            if single["status"] != 200:
                log(f"  {target['name']}: HTTP {single['status']}, not measured")
                results.append(row)
                continue
            floor_path = f"/bench/floor/{target['kind']}/{single['bytes']}"
            floor = probe(server.base, target["kind"], floor_path, info)
            if floor["status"] != 200 or floor["bytes"] != single["bytes"]:
                raise SystemExit(f"the floor {floor_path} answered {floor}")
            # Floor and endpoint in alternating rounds: a change in the machine's load falls on both.
            pairs = []
            for _ in range(rounds):
                pairs.append([wrk(server.base, info, [(kind, path)], duration=slice_s, connections=args.connections,
                                  threads=args.threads) for kind, path in ((target["kind"], floor_path),
                                                                          (target["kind"], target["path"]))])
            row.update(combined([endpoint for _, endpoint in pairs]))
            row["floor_rps"] = combined([floor for floor, _ in pairs])["rps"]
            row["floor_queries"] = floor["queries"]
            ratios = [endpoint["rps"] / floor["rps"] for floor, endpoint in pairs if floor["rps"]]
            row["round_ratios"] = [round(ratio, 3) for ratio in ratios]
            row["ratio"] = round(statistics.median(ratios), 3) if ratios else None
            results.append(row)
            log(f"  {target['name']}: {row['rps']} rps, {row['queries']} queries, {row['ratio']} of floor")
    print(f"\nData: {info['rows']}; {args.workers} gunicorn workers; wrk {args.connections} connections; "
          f"floor and endpoint in {rounds} alternating rounds of {slice_s} s; req/s, p50, p99: medians of the "
          f"rounds; of floor: median of the rounds' ratios\n")
    print(table(
        [[r["name"], r.get("single_ms"), r.get("rps", "-"), r.get("p50_ms", "-"), r.get("p99_ms", "-"), r["queries"], r["bytes"],
          r.get("floor_rps", "-"), f"{r['ratio']:.0%}" if r.get("ratio") is not None else f"HTTP {r['status']}",
          r.get("errors", "-")] for r in results],
        ["endpoint", "alone ms", "req/s", "p50 ms", "p99 ms", "queries", "bytes", "floor req/s", "of floor", "errors"],
    ))
    path = write("run", {"rows": info["rows"], "load": load, "skipped": info["skipped"], "results": results})
    print(f"\nWritten to {path.relative_to(ROOT)}")
    failed = [r["name"] for r in results if r["status"] != 200 or r.get("errors")]
    if failed:
        print(f"Failed: {', '.join(failed)}")
    return 1 if failed else 0


def prepare_mode(args) -> int:
    info = prepare(database_url(args.tag), args.sizes, args.seed, args.fresh)
    print(json.dumps({"rows": info["rows"], "targets": len(info["targets"]), "skipped": info["skipped"]}))
    return 0


def load_mode(args) -> int:
    url = database_url(args.tag)
    info = prepare(url, args.sizes, args.seed, args.fresh)
    paths = [(t["kind"], t["path"]) for t in info["targets"]
             if t["name"].endswith((" list 50", " list 25"))]
    with Server(url, args.workers) as server:
        for kind, path in paths:  # warm every worker and prove each path answers
            single = probe(server.base, kind, path, info)
            if single["status"] != 200:
                raise SystemExit(f"{path} answered HTTP {single['status']}")
        log(f"{args.connections} clients for {args.duration} s over {len(paths)} paths ...")
        result = wrk(server.base, info, paths, duration=args.duration, connections=args.connections,
                     threads=args.threads)
    print(f"\nData: {info['rows']}; {args.workers} gunicorn workers")
    print(f"Paths (round robin): {', '.join(path for _, path in paths)}\n")
    print(table(
        [[args.connections, args.duration, result["requests"], result["rps"], result["p50_ms"], result["p90_ms"],
          result["p99_ms"], result["max_ms"], result["non2xx"], result["socket_errors"]]],
        ["clients", "seconds", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "non-2xx",
         "socket errors"],
    ))
    path = write("load", {"rows": info["rows"], "workers": args.workers, "connections": args.connections,
                          "duration_s": args.duration, "paths": [p for _, p in paths], "result": result})
    print(f"\nErrors: {result['errors']}. Written to {path.relative_to(ROOT)}")
    return 1 if result["errors"] else 0


def page_rows(kind: str, body: bytes) -> tuple[int | None, int | None, str | None]:
    """(matches, rows on the page, the page's content) of a list response: the API's ``count`` and
    ``results``, or the web table's body rows (None where the page does not say). The content (the
    results, or the table's body) tells whether two pages list the same rows; links are compared
    without the server's address (each data set has its own server). None: not a list's answer."""
    if kind == "api":
        try:
            data = json.loads(body)
            results = re.sub(r"https?://[^/\"]+/", "/", json.dumps(data["results"], sort_keys=True))
            return data["count"], len(data["results"]), results
        except (ValueError, KeyError, TypeError):
            return None, None, None
    text = body.decode("utf-8", "replace")
    table = text[text.find("<tbody"):text.find("</tbody>")] if "<tbody" in text else ""
    return None, table.count("<tr"), table


def scale_mode(args) -> int:
    """Each filtered list on the small and the large data set, both servers running, measured in
    alternating rounds (small, large, small, large ...): a change in the shared machine's load then
    falls on both sizes alike instead of on whichever was measured second. The ratio is the median of
    the rounds' p50 ratios; the p50s shown are the medians of the rounds'."""
    small = {name: max(1, value // args.factor) for name, value in args.sizes.items()}
    sets = {}
    for tag, sizes in (("small", small), ("large", args.sizes)):
        # The large data set is the one "run" and "load" use; the small one has its own database.
        url = database_url(args.tag if tag == "large" else f"{args.tag}_small{args.factor}")
        sets[tag] = (url, prepare(url, sizes, args.seed, args.fresh))
    rounds = max(1, args.rounds)
    slice_s = max(1, round(args.duration / rounds))
    measured = {}
    with Server(sets["small"][0], args.workers) as small_server, Server(sets["large"][0], args.workers) as large_server:
        servers = {"small": small_server, "large": large_server}
        chosen = {tag: {t["name"]: t for t in scale_targets(info["targets"], info.get("scale_organization"))}
                  for tag, (url, info) in sets.items()}
        for name in SCALE_TARGETS:
            for tag, (url, info) in sets.items():
                target = chosen[tag].get(name)
                if target is None:
                    continue
                single = probe(servers[tag].base, target["kind"], target["path"], info, warmup=5, keep_body=True)
                matches, rows, content = page_rows(target["kind"], single.pop("body"))
                measured.setdefault(name, {})[tag] = {**single, "path": target["path"], "matches": matches,
                                                      "page_rows": rows, "content": content, "rows": info["rows"],
                                                      "rounds": []}
            if len(measured.get(name, {})) != 2:
                continue
            for _ in range(rounds):
                for tag in ("small", "large"):
                    url, info = sets[tag]
                    path = measured[name][tag]["path"]
                    kind = "api" if name.startswith("api") else "web"
                    measured[name][tag]["rounds"].append(wrk(servers[tag].base, info, [(kind, path)],
                                                             duration=slice_s, connections=args.connections,
                                                             threads=1))
    rows = []
    for name, pair in measured.items():
        if len(pair) != 2:
            continue
        for tag in ("small", "large"):
            rounds_of = combined(pair[tag]["rounds"])
            pair[tag].update({key: rounds_of[key] for key in ("p50_ms", "p99_ms", "errors")})
        ratios = [large["p50_ms"] / small["p50_ms"] for small, large in zip(pair["small"]["rounds"], pair["large"]["rounds"])
                  if small["p50_ms"] and large["p50_ms"]]
        ratio = statistics.median(ratios) if ratios else None
        pair["p50_ratio"] = round(ratio, 3) if ratio else None
        pair["round_ratios"] = [round(r, 3) for r in ratios]
        # The target compares the same list at both sizes: the same rows on the page, so that what
        # differs is the size of the tables around them. A list whose rows differ (more matches in
        # more data) is shown too, its verdict in lower case.
        contents = pair["small"].pop("content"), pair["large"].pop("content")
        same = pair["same_list"] = contents[0] is not None and contents[0] == contents[1]
        within = bool(ratio and ratio <= args.target)
        rows.append([name, pair["small"]["p50_ms"], pair["large"]["p50_ms"],
                     f"{ratio:.2f}x" if ratio else "no answer in time",
                     " ".join(f"{r:.2f}" for r in ratios),
                     f"{pair['small']['page_rows']}/{pair['large']['page_rows']}",
                     f"{pair['small']['bytes']}/{pair['large']['bytes']}",
                     "yes" if same else "no", pair["large"]["queries"],
                     ("yes" if within else "NO") if same else ("yes" if within else "no")])
    print(f"\nContacts {small['contacts']} vs {args.sizes['contacts']}; {args.connections} client(s); {rounds} "
          f"alternating rounds of {slice_s} s per size; target <= {args.target}x\n")
    print(table(rows, ["filtered list", "p50 ms small", "p50 ms large", "ratio", "rounds", "rows on page",
                       "bytes", "same rows", "queries", "within target"]))
    print("\nrows on page / bytes: small/large. \"same rows\": both pages list the same records, so only the "
          "tables' size differs;\nthe target applies to those. Where the rows differ (a filter matching more "
          "people in more data) the\nverdict is in lower case: a page with more rows, or more matches to "
          "count, costs more whatever the tables' size.")
    path = write("scale", {"small": small, "large": args.sizes, "target": args.target, "rounds": rounds,
                           "round_seconds": slice_s, "results": measured})
    print(f"\nWritten to {path.relative_to(ROOT)}")
    return 0 if all(r[-1] != "NO" for r in rows) else 1




def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = parser.add_subparsers(dest="mode", required=True)
    defaults = {"prepare": (0, 0, 0), "run": (5, 8, 2), "load": (60, 32, 2), "scale": (10, 1, 1)}
    for name in ("prepare", "run", "load", "scale"):
        duration, connections, threads = defaults[name]
        mode = modes.add_parser(name)
        for size, value in SIZES.items():
            mode.add_argument(f"--{size}", type=int, default=value, help=f"generated {size} (default {value})")
        mode.add_argument("--seed", type=int, default=1)
        mode.add_argument("--tag", default="main", help="names the bench database (bench-TAG.sqlite3 or <url>_TAG)")
        mode.add_argument("--fresh", action="store_true", help="drop the bench database and prepare it again")
        mode.add_argument("--duration", type=int, default=duration, help="seconds per measurement")
        mode.add_argument("--connections", type=int, default=connections, help="concurrent clients")
        mode.add_argument("--threads", type=int, default=threads, help="wrk threads")
        mode.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        if name == "run":
            mode.add_argument("--only", default="", help="comma-separated words: measure matching endpoints only")
            mode.add_argument("--rounds", type=int, default=3,
                              help="alternating floor/endpoint rounds; each lasts DURATION / ROUNDS seconds")
        if name == "scale":
            mode.add_argument("--factor", type=int, default=20, help="the small data set is the large one / FACTOR")
            mode.add_argument("--target", type=float, default=1.2, help="largest acceptable p50 ratio")
            mode.add_argument("--rounds", type=int, default=3,
                              help="alternating small/large rounds; each lasts DURATION / ROUNDS seconds")
    args = parser.parse_args(argv)
    args.sizes = {size: getattr(args, size) for size in SIZES}
    return {"prepare": prepare_mode, "run": run_mode, "load": load_mode, "scale": scale_mode}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
