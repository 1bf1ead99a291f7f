"""Benchmark: text submissions per second through the intake on this machine (2 cores), with
p50/p99 latency, and, separately, the cost of the argon2id log-in.

One intake process (as deployed) on loopback, with the recommended argon2id parameters
(64 MiB, 3 passes, 1 lane). The rate limits are raised in this instance's settings so that they
do not cap the measurement. Clients are threads of this process, each logged in as its own
source, each sending a ~2 KB message (multipart, no JavaScript path) in a loop.

    .venv/bin/python -m benchmarks.intake_text [--clients 8] [--seconds 20]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx
from argon2.low_level import Type, hash_secret_raw
from pyrage import x25519

from benchmarks.intake_process import init_intake, running_intake
from benchmarks.machine import print_machine
from testament.crypto.codenames import RECOMMENDED_KDF

CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
CODENAME = re.compile(r'id="codename">([^<]+)<')
MESSAGE = ("Они пришли ночью, забрали телефон и увезли его в отдел. " * 20).encode()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def argon2id_in_process(repeats: int = 10) -> list[float]:
    """The bare KDF cost with the recommended parameters, on one core of this machine."""
    kdf = RECOMMENDED_KDF
    timings = []
    for i in range(repeats):
        started = time.perf_counter()
        hash_secret_raw(
            f"seven words of a codename {i}".encode(),
            b"p" * 32,
            kdf.time_cost,
            kdf.memory_kib,
            kdf.parallelism,
            64,
            Type.ID,
        )
        timings.append(time.perf_counter() - started)
    return timings


def new_source(base: str) -> tuple[httpx.Client, str, float]:
    client = httpx.Client(base_url=base, timeout=60)
    front = client.get("/")
    started = time.perf_counter()
    page = client.post("/codename", data={"csrf_token": CSRF_FIELD.findall(front.text)[0]})
    elapsed = time.perf_counter() - started
    match = CODENAME.search(page.text)
    assert match
    return client, match.group(1), elapsed


def send(client: httpx.Client) -> float:
    token = CSRF_FIELD.findall(client.get("/source").text)[0]
    started = time.perf_counter()
    response = client.post(
        "/source/submit",
        files=[("csrf_token", (None, token)), ("message", (None, MESSAGE))],
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 303:
        raise RuntimeError(f"submission failed: HTTP {response.status_code}")
    return elapsed


def log_in(base: str, codename: str) -> float:
    with httpx.Client(base_url=base, timeout=60) as client:
        form = client.get("/login")
        started = time.perf_counter()
        response = client.post(
            "/login", data={"csrf_token": CSRF_FIELD.findall(form.text)[0], "codename": codename}
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 303, response.status_code
    return elapsed


def measure_submissions(clients: list[httpx.Client], seconds: float) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def loop(client: httpx.Client) -> None:
        while time.perf_counter() < stop:
            elapsed = send(client)
            with lock:
                latencies.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    print_machine()
    kdf = RECOMMENDED_KDF
    print(
        f"argon2id parameters: {kdf.memory_kib // 1024} MiB, {kdf.time_cost} passes, "
        f"{kdf.parallelism} lane, 64-byte output; at most 2 derivations at once per intake"
    )
    bare = argon2id_in_process()
    print(
        f"argon2id alone, in process: p50 {statistics.median(bare) * 1000:.0f} ms, "
        f"max {max(bare) * 1000:.0f} ms"
    )
    with tempfile.TemporaryDirectory(prefix="intake-text-", dir="/tmp") as folder:
        instance = Path(folder) / "intake"
        init_intake(instance, str(x25519.Identity.generate().to_public()))
        settings = instance / "intake.toml"
        text = settings.read_text()
        for name in ("submissions_per_source_per_hour", "logins_per_browser_per_minute"):
            text = re.sub(rf"^{name} = \d+$", f"{name} = 1000000", text, flags=re.M)
        settings.write_text(text)
        with running_intake(instance) as (_, port):
            measure(f"http://127.0.0.1:{port}", args.clients, args.seconds)


def measure(base: str, sources_count: int, seconds: float) -> None:
    """Log-in costs over HTTP, then text submissions from concurrent sources for ``seconds``."""
    sources = [new_source(base) for _ in range(sources_count)]
    clients = [client for client, _, _ in sources]
    for client in clients:
        send(client)  # each source's first submission creates its row; log-in needs it
    codename_costs = [elapsed for _, _, elapsed in sources]
    logins = [log_in(base, codename) for _, codename, _ in sources for _ in range(2)]
    print(
        f"new codename over HTTP (argon2id + page): p50 "
        f"{statistics.median(codename_costs) * 1000:.0f} ms; log-in over HTTP: p50 "
        f"{statistics.median(logins) * 1000:.0f} ms, p99 {percentile(logins, 0.99) * 1000:.0f}"
        f" ms ({len(logins)} log-ins, one at a time)"
    )
    latencies, elapsed = measure_submissions(clients, seconds)
    print(
        f"text submissions ({len(MESSAGE)} bytes each, {sources_count} concurrent sources, "
        f"{elapsed:.0f} s): {len(latencies) / elapsed:.1f} per second; latency p50 "
        f"{statistics.median(latencies) * 1000:.0f} ms, p99 "
        f"{percentile(latencies, 0.99) * 1000:.0f} ms ({len(latencies)} submissions)"
    )
    for client in clients:
        client.close()


if __name__ == "__main__":
    main()
