"""The desk's editing pages on a casebook of 100,000 events (SQLite), in process.

    .venv/bin/python -m benchmarks.desk_editing [--events N] [--repeat N]

Times the edit form, opening the form and saving a change (a conditional UPDATE and an audit
row), and the record's history once it has ``repeat`` versions: median and p95 in ms. The
history reads the audit log through its (record_type, record_id) index, so its time should not
grow with the casebook. Target (issue 14's, for the desk's pages): p95 at most 100 ms.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyotp
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from benchmarks.machine import print_machine
from testament.core.records import Event
from testament.desk.access import Role
from testament.desk.accounts import add_user
from testament.desk.web import DeskWebSettings, create_app
from testament.store import Casebook

PASSWORD = "violet harbour quantum pickle"  # a throwaway benchmark account


def _timed(step: Callable[[int], None], repeat: int) -> tuple[float, float]:
    times = []
    for index in range(repeat):
        start = time.perf_counter()
        step(index)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(0.95 * repeat) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "casebook.sqlite"
        now = datetime.now(UTC)
        with Casebook.create(path) as book:
            start = time.perf_counter()
            book.add(
                [
                    Event(id=f"ev-{i:06d}", title=f"event {i}", confidentiality="public")
                    for i in range(args.events)
                ],
                actor="benchmark",
            )
            print(f"casebook of {args.events} events: {time.perf_counter() - start:.1f} s")
            secret = add_user(
                book.engine,
                "reviewer",
                Role.RESEARCHER,
                PASSWORD,
                actor="benchmark",
                now=now,
                hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),  # fast, insecure
            ).secret
        app = create_app(DeskWebSettings(casebook=str(path)))
        with TestClient(app, base_url="https://desk.test") as client:
            token = re.search(r'name="csrf_token" value="([^"]*)"', client.get("/login").text)
            assert token is not None
            code = pyotp.TOTP(secret).now()
            client.post(
                "/login",
                data={"csrf_token": token.group(1), "name": "reviewer", "password": PASSWORD}
                | {"code": code},
            )
            record = f"/records/event/ev-{args.events // 2:06d}"

            def edit(_index: int) -> None:
                assert client.get(record + "/edit").status_code == 200

            def save(index: int) -> None:
                page = client.get(record + "/edit").text
                form = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
                form["title"] = f"title {index}"
                answer = client.post(record + "/edit", data=form, follow_redirects=False)
                assert answer.status_code == 303

            def history(_index: int) -> None:
                assert client.get(record + "/history").status_code == 200

            for name, step in (
                ("edit form", edit),
                ("open the form and save", save),
                (f"history ({args.repeat + 1} versions)", history),
            ):
                median, p95 = _timed(step, args.repeat)
                print(f"{name}: median {median:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
