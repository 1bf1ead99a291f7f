"""Benchmark: a 2 GiB upload through the intake (no-JavaScript path: the server encrypts while it
streams) beside Debian's ``age`` encrypting the same file to the same recipient, in the same run.

Reports the upload's throughput, the intake process's peak RSS (VmHWM), age's throughput, and
checks that ``age -d`` recovers the file from what the intake stored. Run on loopback:

    .venv/bin/python -m benchmarks.intake_upload [--gib 2]

Files go under /tmp and are deleted afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.intake_process import init_intake, running_intake
from benchmarks.machine import print_machine
from testament.crypto.items import read_item

CHUNK = 1024 * 1024
CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def make_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    block = os.urandom(CHUNK)
    with path.open("wb") as out:
        for i in range(size // CHUNK):
            # vary every block cheaply so nothing compresses or deduplicates
            piece = i.to_bytes(8, "little") + block[8:]
            digest.update(piece)
            out.write(piece)
    return digest.hexdigest()


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU time of process ``pid`` (all its threads) so far, or of its
    waited-for children (the encryption helpers) with ``children``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    first = 13 if children else 11
    return (int(fields[first]) + int(fields[first + 1])) / os.sysconf("SC_CLK_TCK")


def thread_cpu_seconds(pid: int) -> dict[str, float]:
    """CPU time of each thread of ``pid`` (name: seconds), busiest first."""
    times = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        stat = (task / "stat").read_text()
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        times[f"{name}/{task.name}"] = seconds
    return dict(sorted(times.items(), key=lambda kv: -kv[1]))


def tree_rss_mib(pid: int) -> float:
    """Current resident memory of ``pid`` and its child processes (the encryption helper)."""
    total = 0.0
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(child) for child in (task / "children").read_text().split()]
    for member in pids:
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


class RssSampler(threading.Thread):
    """Samples the server's and its helper's resident memory every 20 ms during the upload."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            try:
                self.peak = max(self.peak, tree_rss_mib(self.pid))
            except OSError:
                return


def reset_peak_rss(pid: int) -> None:
    """Reset VmHWM, so the peak measured is the upload's (not the start-up's or argon2id's)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass(frozen=True)
class Upload:
    seconds: float
    status: int
    server_cpu: float
    #: CPU time of the sending thread: the kernel's loopback TCP work is mostly accounted here.
    client_cpu: float
    peak_rss_mib: float


def upload(port: int, data: Path, size: int, pid: int) -> Upload:
    """Upload ``data`` as a source would without JavaScript: wall seconds, HTTP status, the
    server's and the client's CPU seconds and the peak RSS of the server and its helper."""
    import httpx2 as httpx

    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base) as client:
        front = client.get("/")
        client.post("/codename", data={"csrf_token": CSRF_FIELD.findall(front.text)[0]})
        token = CSRF_FIELD.findall(client.get("/source").text)[0]
        cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    boundary = "----WebKitFormBoundaryu7Hm3kQ9ZrT2xLpA"  # as Chromium writes them
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="video.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    request = (
        f"POST /source/submit HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(head) + size + len(tail)}\r\nCookie: {cookies}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    print(
        f"server peak RSS before the upload, with the argon2id (64 MiB) of one codename: "
        f"{peak_rss_mib(pid):.0f} MiB"
    )
    reset_peak_rss(pid)
    cpu_before = cpu_seconds(pid)
    sampler = RssSampler(pid)
    sampler.start()
    started = time.perf_counter()
    client_before = time.thread_time()
    with socket.create_connection(("127.0.0.1", port)) as connection, data.open("rb") as source:
        connection.sendall(request + head)
        connection.sendfile(source)
        connection.sendall(tail)
        answer = connection.recv(4096)
    elapsed = time.perf_counter() - started
    client_cpu = time.thread_time() - client_before
    sampler.done.set()
    sampler.join()
    status = int(answer.split(b" ", 2)[1])
    return Upload(elapsed, status, cpu_seconds(pid) - cpu_before, client_cpu, sampler.peak)


def run_age(run: int, recipient: str, data: Path, out: Path) -> float:
    """Debian's age on the same file, its figures printed: wall seconds."""
    started = time.perf_counter()
    before = os.times()
    subprocess.run(["age", "-r", recipient, "-o", out, data], check=True)
    after = os.times()
    seconds = time.perf_counter() - started
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    out.unlink()
    print(
        f"run {run}: Debian age, same file, same recipient: {seconds:.2f} s, "
        f"{data.stat().st_size / seconds / 1024**2:.0f} MiB/s (CPU {cpu:.2f} s)"
    )
    return seconds


def run_pyrage(run: int, recipient: str, data: Path, out: Path) -> float:
    """pyrage alone, file to file in this process (the intake's encryption without HTTP):
    the ceiling of what the intake's encryption helper can reach."""
    import pyrage
    from pyrage import x25519

    started = time.perf_counter()
    with data.open("rb", buffering=CHUNK) as source, out.open("wb", buffering=CHUNK) as sink:
        pyrage.encrypt_io(source, sink, [x25519.Recipient.from_str(recipient)])
    seconds = time.perf_counter() - started
    out.unlink()
    print(
        f"run {run}: pyrage alone, file to file: {seconds:.2f} s, "
        f"{data.stat().st_size / seconds / 1024**2:.0f} MiB/s"
    )
    return seconds


def check_stored_item(key: Path, blob: Path, expected: str) -> None:
    """Decrypt what the intake stored with Debian's age and compare with the uploaded file."""
    decrypted = subprocess.Popen(["age", "-d", "-i", key, blob], stdout=subprocess.PIPE)
    assert decrypted.stdout is not None
    # the item's header, framed body and padding read (and checked) as the desk reads them
    _, body = read_item(decrypted.stdout)
    digest = hashlib.sha256()
    while chunk := body.read(CHUNK):
        digest.update(chunk)
    decrypted.wait()
    verdict = "identical" if digest.hexdigest() == expected else "DIFFERENT"
    print(f"age -d of the stored item: plaintext {verdict} to the uploaded file")


def measured_upload(run: int, port: int, data: Path, pid: int) -> tuple[float, float]:
    """One upload of ``data``, its figures printed; returns wall seconds and peak RSS (MiB)."""
    size = data.stat().st_size
    threads_before = thread_cpu_seconds(pid)
    helper_before = cpu_seconds(pid, children=True)
    done = upload(port, data, size, pid)
    if done.status != 303:
        raise SystemExit(f"the upload failed with HTTP {done.status}")
    rss = peak_rss_mib(pid)
    helper_cpu = cpu_seconds(pid, children=True) - helper_before
    threads = {
        name: cpu - threads_before.get(name, 0.0) for name, cpu in thread_cpu_seconds(pid).items()
    }
    busiest = sorted(threads.values(), reverse=True)[:2]
    print(
        f"run {run}: intake upload over loopback (HTTP, multipart, encrypted while "
        f"streaming): {done.seconds:.2f} s, {size / done.seconds / 1024**2:.0f} MiB/s; "
        f"CPU: server {done.server_cpu:.2f} s (busiest threads "
        + ", ".join(f"{cpu:.2f} s" for cpu in busiest)
        + f"), encryption helper {helper_cpu:.2f} s, sending client {done.client_cpu:.2f} s; "
        f"peak RSS server + helper {done.peak_rss_mib:.0f} MiB (sampled every 20 ms), server "
        f"alone {rss:.0f} MiB (VmHWM)"
    )
    return done.seconds, max(rss, done.peak_rss_mib)


def new_age_key(key: Path) -> str:
    """A reviewer key made by Debian's age-keygen; returns its recipient."""
    subprocess.run(["age-keygen", "-o", key], check=True, capture_output=True)
    command = ["age-keygen", "-y", key]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def settle(data: Path) -> None:
    """The same start for every run: dirty pages written out, the page cache emptied where this
    user may (root), then the input read once so that it is cached for either program."""
    os.sync()
    with contextlib.suppress(OSError):
        Path("/proc/sys/vm/drop_caches").write_text("3")
    with data.open("rb") as source:
        while source.read(CHUNK):
            pass
    time.sleep(1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gib", type=float, default=2.0, help="size of the upload in GiB")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, interleaved")
    arguments = parser.parse_args()
    size = int(arguments.gib * 1024**3) // CHUNK * CHUNK
    print_machine()
    with tempfile.TemporaryDirectory(prefix="intake-bench-", dir="/tmp") as folder:
        work = Path(folder)
        key = work / "reviewer.key"
        recipient = new_age_key(key)
        data = work / "upload.bin"
        expected = make_file(data, size)
        print(
            f"upload: {size / 1024**3:.2f} GiB of incompressible data; {arguments.runs} runs "
            "each of Debian's age, pyrage alone and the upload, interleaved; dirty pages "
            "written out and the page cache dropped (when root) before every run; medians"
        )
        instance = work / "intake"
        init_intake(instance, recipient)
        age_runs: list[float] = []
        pyrage_runs: list[float] = []
        upload_runs: list[float] = []
        peak = 0.0
        with running_intake(instance) as (process, port):
            idle_rss = peak_rss_mib(process.pid)
            for run in range(1, arguments.runs + 1):
                settle(data)
                age_runs.append(run_age(run, recipient, data, work / "reference.age"))
                settle(data)
                pyrage_runs.append(run_pyrage(run, recipient, data, work / "pyrage.age"))
                settle(data)
                seconds, run_peak = measured_upload(run, port, data, process.pid)
                upload_runs.append(seconds)
                peak = max(peak, run_peak)
                (blob,) = (instance / "blobs").iterdir()
                if run == 1:
                    check_stored_item(key, blob, expected)
                blob.unlink()
    age_rate = size / statistics.median(age_runs) / 1024**2
    pyrage_rate = size / statistics.median(pyrage_runs) / 1024**2
    rate = size / statistics.median(upload_runs) / 1024**2
    print(
        f"median: Debian age {age_rate:.0f} MiB/s; pyrage alone {pyrage_rate:.0f} MiB/s "
        f"= {pyrage_rate / age_rate:.0%} of age's; intake upload {rate:.0f} MiB/s = "
        f"{rate / age_rate:.0%} of age's throughput"
    )
    print(
        f"peak RSS during the uploads: {peak:.0f} MiB (server + encryption helper); "
        f"server after start-up {idle_rss:.0f} MiB"
    )
    targets = f"RSS <= 150 MiB: {'met' if peak <= 150 else 'MISSED'}; "
    targets += f"throughput >= 50% of age: {'met' if rate >= age_rate / 2 else 'MISSED'}"
    print(f"targets: {targets}")


if __name__ == "__main__":
    main()
