"""A large file sent from real Chromium: sealed in the browser (JavaScript on) or by the server
while it streams in (JavaScript off).

For each path it prints the time from the click to the confirmation page, the throughput, the
peak RSS (VmHWM) of Chromium's browser process (where Blob storage lives) and of its renderer
(where the page's JavaScript runs), the intake server's peak RSS, the desk's pull time and
whether the decrypted file is byte-identical.

    .venv/bin/python -m benchmarks.browser_seal [--mib 256]

The intake runs as its own process (`testament intake serve`) on loopback; Chromium is Debian's
/usr/bin/chromium driven by Playwright.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyrage import x25519
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

from benchmarks.machine import print_machine

MIB = 1024 * 1024
BROWSER_SEAL_BUDGET = 256 * MIB  # seal.js's default data-seal-max-bytes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def testament(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "testament", *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def peak_rss_of(pid: int) -> float:
    """VmHWM (peak resident set) of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def browser_pid(user_data_dir: Path) -> int:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"--user-data-dir={user_data_dir}".encode() in command and not any(
            part.startswith(b"--type=") for part in command
        ):
            return int(entry.name)
    raise RuntimeError("Chromium's browser process not found")


def start_intake(folder: Path, recipient: str) -> tuple[subprocess.Popen[bytes], str, str]:
    testament("intake", "init", str(folder), "--recipient", recipient)
    token = testament("intake", "token", str(folder)).strip()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "testament", "intake", "serve", str(folder), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the intake did not start") from None
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}", token


def process_type(pid: int) -> str:
    """Chromium's role of a process: browser (no --type), renderer, utility, zygote...
    (child processes rewrite their command line as one space-separated string)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "gone"
    match = re.search(rb"--type=([\w-]+)", command)
    return match.group(1).decode() if match else "browser"


def send_file(
    playwright, url: str, path: Path, *, js: bool, profile: Path
) -> tuple[float, dict[str, float]]:
    """Seconds from the click to the confirmation, and the peak RSS (MiB) of Chromium's
    browser process and of its largest renderer."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, java_script_enabled=js
    )
    page = context.new_page()
    page.goto(url + "/?lang=en")
    page.locator("form[action*='/codename'] button").click()
    page.locator("a.button").click()
    page.wait_for_url("**/source**")
    page.set_input_files("#file", str(path))
    started = time.perf_counter()
    page.locator("#submission button[type=submit]").click()
    page.wait_for_url("**sent=1**", timeout=3_600_000)
    elapsed = time.perf_counter() - started
    root = browser_pid(profile)
    peaks: dict[str, float] = {}
    for pid in [root, *descendants(root)]:
        kind = process_type(pid)
        if kind in ("browser", "renderer"):
            peaks[kind] = max(peaks.get(kind, 0.0), peak_rss_of(pid))
    context.close()
    return elapsed, peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=256, help="size of the file in MiB")
    options = parser.parse_args()
    print_machine()
    from playwright.sync_api import sync_playwright

    from testament.desk.client import IntakeClient
    from testament.desk.contacts import Contacts, contacts_path
    from testament.desk.pull import pull
    from testament.store import Casebook

    reviewer = x25519.Identity.generate()
    with tempfile.TemporaryDirectory(prefix="browser-seal-") as scratch:
        root = Path(scratch)
        payload = root / "video.bin"
        digest = hashlib.sha256()
        with payload.open("wb") as out:
            for _ in range(options.mib):
                block = os.urandom(MIB)
                digest.update(block)
                out.write(block)
        print(f"file: {options.mib} MiB of random bytes")
        with sync_playwright() as playwright:
            for js in (True, False):
                if not js:
                    label = "JavaScript off (sealed by the server)"
                elif options.mib * MIB <= BROWSER_SEAL_BUDGET:
                    label = "JavaScript on (sealed in the browser)"
                else:
                    label = (
                        "JavaScript on (over the browser's 256 MiB budget: sealed by the server)"
                    )
                folder = root / ("intake-js" if js else "intake-plain")
                server, url, token = start_intake(folder, str(reviewer.to_public()))
                try:
                    elapsed, chromium = send_file(
                        playwright, url, payload, js=js, profile=root / f"profile-{js}"
                    )
                    server_peak = peak_rss_of(server.pid)
                    book_path = root / f"casebook-{js}.sqlite"
                    with Casebook.create(book_path) as book:
                        pulled = time.perf_counter()
                        report = pull(
                            IntakeClient(url, token),
                            book,
                            Contacts(contacts_path(book_path)),
                            reviewer,
                            actor="desk:benchmark",
                        )
                        pull_seconds = time.perf_counter() - pulled
                        (source_id,) = report.stored
                        (attachment,) = book.attachments(source_id).values()
                        identical = attachment.sha256 == digest.hexdigest()
                finally:
                    server.terminate()
                    server.wait(timeout=30)
                print(
                    f"{label}: {elapsed:.1f} s from click to confirmation, "
                    f"{options.mib / elapsed:.1f} MiB/s; Chromium peak RSS: browser process "
                    f"{chromium['browser']:.0f} MiB, renderer {chromium['renderer']:.0f} MiB; "
                    f"intake server peak RSS {server_peak:.0f} MiB; "
                    f"desk pull {pull_seconds:.1f} s; decrypted file identical: {identical}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
