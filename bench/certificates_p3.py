"""P3 — certificates: offline verifications/s and public verification requests/s over HTTP.

    python bench/certificates_p3.py            # 10 s per HTTP run, 200 licences
    python bench/certificates_p3.py --quick    # 4 s per HTTP run, 40 licences
    python bench/certificates_p3.py --database postgresql   # PostgreSQL at 127.0.0.1:5432

Data: a scratch installation (temporary ONEWINDOW_HOME; SQLite in WAL mode, or the PostgreSQL
database `onewindow_bench_p3`), the market-supervision department's Ed25519 key (and an SM2
key of a second department for the SM2 figure), N business licences issued through
`services.issue_licence_with_permits`, each with the five reform-2 permits (payload ~400
characters), one permit revoked.

Offline: `verification.verify_text` (prefix, Base45, zlib, COSE, signature, claims, key
period, revocation list) in this process, cycling over the N payloads; the same in two
processes (this machine has two cores); peers: the bare Ed25519 signature check of one
payload, and SM2 payloads.

HTTP: the production server setting — granian, WSGI interface, 2 worker processes (what
`onewindow serve --workers 2` runs), DEBUG off — on 127.0.0.1, load from `wrk` (2 threads,
16 connections) when installed (`apt-get install wrk`), otherwise a Python keep-alive
client with 16 threads (say which in the output). Each request is `GET
/api/v1/certificates/verify?c=<payload>`, answered by the lean WSGI path
(`certificates/fastpath.py`) in front of Django: signature, database status of the licence and its
permits, public-records seam, one verification log row. The per-client rate limit is raised
for the run (all load comes from 127.0.0.1). Peers in the same run: the HTML page a phone
opens (`/v/?c=`), a trivial one-query JSON endpoint (`/api/v1/centres`) and, from a second
server, the same verify route through Django's full stack and ninja
(`onewindow.conf.wsgi:django_application`). The load
generator shares the two cores with the server, so the HTTP figures are a floor.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/onewindow_bench_p3"
# As behind the TLS-terminating reverse proxy of a production deployment (the production
# profile redirects plain http otherwise).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
PERMITS = (
    "food-trading",
    "food-production",
    "industrial-product",
    "special-equipment",
    "metrology",
)


def environment(home: str, engine: str, *, server: bool = False) -> dict[str, str]:
    env = {
        "ONEWINDOW_HOME": home,
        "ONEWINDOW_KEY_DIR": str(Path(home) / "keys"),
        "ONEWINDOW_VERIFY_RATE_LIMIT": "100000000/60",
        "DJANGO_SETTINGS_MODULE": "onewindow.conf.settings",
        "JOB_BACKEND": "immediate",
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        "DEBUG": "",
        "PYTHONPATH": str(REPO / "src"),
    }
    if engine == "postgresql":
        env["DATABASE_URL"] = PG_BENCH
        if server:  # the production profile (it refuses SQLite and plain-http addresses)
            env.update(
                ONEWINDOW_PROFILE="production",
                SECRET_KEY="bench-" + os.urandom(32).hex(),
                PUBLIC_BASE_URL="https://verify.onewindow.example.gov.cn",
                ALLOWED_HOSTS="127.0.0.1,localhost",
            )
    return env


def prepare(engine: str, licences: int) -> tuple[str, list[str], list[str]]:
    home = tempfile.mkdtemp(prefix="certificates_p3_")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(environment(home, engine))
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS onewindow_bench_p3 WITH (FORCE)")
            admin.execute("CREATE DATABASE onewindow_bench_p3")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from onewindow.accounts.services import load_reference_data
    from onewindow.certificates import selectors, services
    from onewindow.core.identifiers import uscc_check_digit

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_reference_data()
    services.create_signing_key(department_code="samr", actor="bench", reason="bench")
    services.create_signing_key(
        department_code="samr", actor="bench", reason="bench", purpose="list"
    )
    services.create_signing_key(
        department_code="tax", actor="bench", reason="bench", algorithm="sm2"
    )
    payloads, sm2 = [], []
    for i in range(licences):
        body = f"91420600MA4K{i:05d}"
        licence = services.issue_licence_with_permits(
            actor="bench",
            reason="一照通",
            holder_name=f"襄阳市汉江源食品科技第{i}有限公司",
            holder_code=body + uscc_check_digit(body),
            department_code="samr" if i % 10 else "tax",
            authority_name="襄阳市市场监督管理局",
            region_code="420600",
            scope="食品销售；食品生产",
            details={"legal_representative": "王建国", "company_type": "有限责任公司"},
            permits=[services.PermitRequest(code, scope="预包装食品销售") for code in PERMITS],
        )
        (payloads if i % 10 else sm2).append(licence.payload)
        if i == 1:
            revoked = selectors.permits_of(licence)[0]
    services.revoke_certificate(certificate=revoked, actor="bench", reason="bench")
    return home, payloads, sm2


def _verify_loop(payloads: list[str], seconds: float, trust_document: dict, revoked: dict) -> int:
    from onewindow.certificates import trust
    from onewindow.certificates.verification import verify_text

    trust_list = trust.from_document(trust_document)
    done, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for payload in payloads:
            result = verify_text(payload, trust_list, revoked)
            if not result.is_valid:
                raise SystemExit(f"unexpected result {result.reason}")
        done += len(payloads)
    return done


def _child(args: tuple[list[str], float, dict, dict]) -> int:
    return _verify_loop(*args)


def offline(payloads: list[str], sm2: list[str], seconds: float) -> dict[str, Any]:
    from onewindow.certificates import selectors, signers, trust
    from onewindow.certificates.cose import decode_sign1
    from onewindow.certificates.qr.payload import unpack

    document, revoked = selectors.trust_list_document(), selectors.revocation_entries()
    _verify_loop(payloads[:20], 0.3, document, revoked)  # warm up
    started = time.perf_counter()
    single = _verify_loop(payloads, seconds, document, revoked)
    single_rate = single / (time.perf_counter() - started)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        counts = pool.map(_child, [(payloads, seconds, document, revoked)] * 2)
        double_rate = sum(counts) / (time.perf_counter() - started)
    started = time.perf_counter()
    sm2_count = _verify_loop(sm2, seconds / 2, document, revoked)
    sm2_rate = sm2_count / (time.perf_counter() - started)
    trusted = trust.from_document(document)
    sign1 = unpack(payloads[0])
    verify = trusted.verifier(trusted.key(sign1.kid or b""))
    message = sign1.to_be_signed()
    n, started = 20000, time.perf_counter()
    for _ in range(n):
        verify(message, sign1.signature)
    raw = n / (time.perf_counter() - started)
    assert decode_sign1 and signers
    return {
        "offline_verifications_per_s": round(single_rate),
        "offline_verifications_per_s_2_processes": round(double_rate),
        "offline_sm2_verifications_per_s": round(sm2_rate),
        "peer_bare_ed25519_verify_per_s": round(raw),
        "payload_chars_mean": round(statistics.mean(len(p) for p in payloads)),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    home: str, engine: str, port: int, target: str = "onewindow.conf.wsgi:application"
) -> subprocess.Popen[bytes]:
    env = {**os.environ, **environment(home, engine, server=True)}
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--workers",
        "2",
        "--blocking-threads",
        "4",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-log",
        target,
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("granian did not start: " + server.stderr.read().decode()[-2000:])


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _tree(root: int) -> list[int]:
    """The process and its descendants (granian's workers)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _postgres_pids(engine: str) -> list[int]:
    """The PostgreSQL backends serving the bench database (not other users of the server)."""
    if engine != "postgresql":
        return []
    import psycopg

    with psycopg.connect(PG_ADMIN) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = 'onewindow_bench_p3'"
        ).fetchall()
    return [int(pid) for (pid,) in rows]


def _measured(load: Any, server_pid: int, engine: str) -> Any:
    """Run a load and add the CPU each side used per request (independent of how busy the
    shared machine is): server = granian and its workers, database = the PostgreSQL backends
    connected to the bench database (granian keeps its connections), client = the load
    generator."""
    import resource

    def run(paths: list[str], expected: str) -> dict[str, Any]:
        server, database = _tree(server_pid), _postgres_pids(engine)
        before = (_cpu_seconds(server), _cpu_seconds(database))
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures = load(paths, expected)
        after = (_cpu_seconds(server), _cpu_seconds(database))
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        client = (children_after.ru_utime + children_after.ru_stime) - (
            children.ru_utime + children.ru_stime
        )
        requests = max(figures["checked_ok"] + figures["checked_bad"], 1)
        per_request = {
            "server": (after[0] - before[0]) / requests * 1000,
            "database": (after[1] - before[1]) / requests * 1000,
            "client": client / requests * 1000 if load.__name__ != "python" else None,
        }
        figures["cpu_ms_per_request"] = {
            k: round(v, 3) for k, v in per_request.items() if v is not None
        }
        total = sum(v for v in per_request.values() if v)
        # What two cores would serve if only this server, its database and wrk ran on them.
        figures["requests_per_s_if_2_cores_were_ours"] = round(2000 / total) if total else None
        return figures

    return run


def _paths(prefix: str, payloads: list[str]) -> list[str]:
    return [prefix + urllib.parse.quote(p, safe="") for p in payloads]


WRK_SCRIPT = r"""
local i = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; good = 0 end
request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1
  elseif expected == "" or string.find(body, expected, 1, true) then good = good + 1
  else bad = bad + 1 end
end
function done(summary, latency, requests)
  local b, g = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("bad"); g = g + t:get("good") end
  io.write(string.format("CHECKED good=%d bad=%d\n", g, b))
end
"""


def run_wrk(
    port: int, paths: list[str], seconds: int, directory: str, expected: str
) -> dict[str, Any]:
    """wrk with a Lua script that counts every response that is not 200 or lacks `expected`."""
    script = Path(directory) / "paths.lua"
    quoted = ",\n".join(json.dumps(p) for p in paths)
    script.write_text(
        f"paths = {{{quoted}}}\nexpected = {json.dumps(expected, ensure_ascii=False)}\n"
        + WRK_SCRIPT,
        encoding="utf-8",
    )
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(script)]
    for name, value in PROXY_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    checked = re.search(r"CHECKED good=(\d+) bad=(\d+)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    return {
        "requests_per_s": round(rate),
        "checked_ok": int(checked.group(1)),
        "checked_bad": int(checked.group(2)),
        "latency_p50": p50.group(1) if p50 else None,
        "latency_p99": p99.group(1) if p99 else None,
    }


def run_python_client(port: int, paths: list[str], seconds: int, expected: str) -> dict[str, Any]:
    import http.client

    counts, errors, latencies = [0] * 16, [0] * 16, [[] for _ in range(16)]
    deadline = time.perf_counter() + seconds

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = index
        while time.perf_counter() < deadline:
            i = (i + 1) % len(paths)
            started = time.perf_counter()
            connection.request("GET", paths[i], headers=PROXY_HEADERS)
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            latencies[index].append(time.perf_counter() - started)
            counts[index] += 1
            errors[index] += response.status != 200 or expected not in body

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for values in latencies for x in values)
    return {
        "requests_per_s": round(sum(counts) / elapsed),
        "checked_ok": sum(counts) - sum(errors),
        "checked_bad": sum(errors),
        "latency_p50": f"{flat[len(flat) // 2] * 1000:.2f}ms",
        "latency_p99": f"{flat[int(len(flat) * 0.99)] * 1000:.2f}ms",
    }


def http_figures(home: str, engine: str, payloads: list[str], seconds: int) -> dict[str, Any]:
    import httpx

    port = _free_port()
    server = start_server(home, engine, port)
    tool = "wrk" if shutil.which("wrk") else "python-threads"
    try:
        sample = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/certificates/verify",
            params={"c": payloads[0]},
            headers=PROXY_HEADERS,
        ).json()
        if not sample["valid"] or len(sample["permits"]) != 5:
            raise SystemExit(f"unexpected verification: {sample}")
        api = _paths("/api/v1/certificates/verify?c=", payloads)
        page = _paths("/v/?c=", payloads)

        def generator(paths: list[str], expected: str) -> dict[str, Any]:
            if tool == "wrk":
                return run_wrk(port, paths, seconds, home, expected)
            return run_python_client(port, paths, seconds, expected)

        generator.__name__ = "wrk" if tool == "wrk" else "python"
        load = _measured(generator, server.pid, engine)
        load(api[:10], "")  # warm up both workers (and open their database connections)
        figures = {
            "server": "granian 2.8 WSGI, 2 workers, 4 blocking threads each, DEBUG off, "
            + ("ONEWINDOW_PROFILE=production" if engine == "postgresql" else "embedded profile"),
            "load_generator": tool + (" (2 threads, 16 connections)" if tool == "wrk" else " (16)"),
            "api_verify": load(api, '"valid": true'),
            "peer_public_page": load(page, "证照有效，签名核验通过"),
            "peer_trivial_json_endpoint": load(["/api/v1/centres"], ""),
        }
    finally:
        server.terminate()
        server.wait(timeout=20)
    # Peer: the same route through Django's full stack (ninja), as before the lean path.
    port = _free_port()
    server = start_server(home, engine, port, "onewindow.conf.wsgi:django_application")
    try:
        load = _measured(generator, server.pid, engine)
        load(api[:10], "")
        figures["peer_api_verify_through_django_ninja"] = load(api, '"valid": true')
    finally:
        server.terminate()
        server.wait(timeout=20)
    return figures


def child(engine: str, quick: bool) -> dict[str, Any]:
    licences, seconds = (40, 4) if quick else (200, 10)
    started = time.perf_counter()
    home, payloads, sm2 = prepare(engine, licences)
    print(f"{engine}: {licences} licences in {time.perf_counter() - started:.1f} s", flush=True)
    figures: dict[str, Any] = {"licences": licences, "load_average_before": os.getloadavg()[0]}
    figures.update(offline(payloads, sm2, seconds / 2))
    from django.db import connections

    connections.close_all()
    figures["http"] = http_figures(home, engine, payloads, seconds)
    figures["load_average_after"] = os.getloadavg()[0]
    shutil.rmtree(home, ignore_errors=True)
    return figures


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.quick), ensure_ascii=False))
        return
    engines = ["postgresql", "sqlite"] if args.database == "both" else [args.database]
    if "postgresql" in engines and not postgres_reachable():
        print("PostgreSQL at 127.0.0.1:5432 not reachable: SQLite only", flush=True)
        engines = [e for e in engines if e != "postgresql"] or ["sqlite"]
    summary: dict[str, Any] = {
        "benchmark": "P3 certificates",
        "cpus": os.cpu_count(),
        "permits_per_licence": len(PERMITS),
        "wrk_installed": bool(shutil.which("wrk")),
    }
    for engine in engines:
        command = [sys.executable, __file__, "--child", engine] + (
            ["--quick"] if args.quick else []
        )
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"{engine} run failed:\n{result.stdout}\n{result.stderr[-3000:]}")
        lines = result.stdout.strip().splitlines()
        print("\n".join(lines[:-1]), flush=True)
        summary[engine] = json.loads(lines[-1])
        print(f"{engine}: {lines[-1]}", flush=True)
    main_engine = engines[0]
    summary["goal"] = {"offline_per_s": 5000, "http_per_s": 1000}
    summary["goal_met"] = {
        "offline": summary[main_engine]["offline_verifications_per_s"] >= 5000,
        "http": summary[main_engine]["http"]["api_verify"]["requests_per_s"] >= 1000
        and summary[main_engine]["http"]["api_verify"]["checked_bad"] == 0,
        "measured_on": main_engine,
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
