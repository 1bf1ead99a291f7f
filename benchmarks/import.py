"""JSON Lines import of a synthetic casebook (100k sources + 1M claims by default).

    .venv/bin/python -m benchmarks.import [--sources N] [--claims N] [--events N] [--no-postgres]

Imports the same file into a new SQLite casebook and into a new PostgreSQL database (a real server
started from Debian's binaries, as the tests do), through the same path as ``testament import``:
read and validate every line, check every reference, write records and audit entries in one
transaction. Target: at least 50,000 records/s into SQLite.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.machine import peak_rss_mib, print_machine
from benchmarks.synthetic_casebook import casebook_lines
from testament.store import Casebook
from testament.store.importing import read_jsonl


def import_once(location: str, data: bytes) -> tuple[int, float, float]:
    """(records, seconds to validate, seconds in total) for one import."""
    started = time.perf_counter()
    located = read_jsonl(data, "bench.jsonl")
    validated = time.perf_counter()
    with Casebook.open(location) as casebook:
        casebook.add(located, actor="benchmark")
    return len(located), validated - started, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        path = folder / "bench.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            stream.writelines(
                casebook_lines(sources=args.sources, claims=args.claims, events=args.events)
            )
        data = path.read_bytes()
        print(
            f"file: {args.sources:,} sources + {args.events:,} events + {args.claims:,} claims, "
            f"{len(data) / 1e6:.0f} MB of JSON Lines"
        )
        targets = [("SQLite", str(folder / "bench.sqlite"))]
        Casebook.create(targets[0][1]).close()
        server = None
        if not args.no_postgres:
            from tests.support.postgres import create_database, pg_bin, running_server

            bin_dir = pg_bin()
            if bin_dir is None:
                print("PostgreSQL: not installed (apt-get install postgresql); skipped")
            else:
                server = running_server(bin_dir)
                socket_dir = server.__enter__()
                url = create_database(socket_dir)
                Casebook.create(url).close()
                targets.append(("PostgreSQL", url))
        try:
            for name, location in targets:
                records, validate_s, total_s = import_once(location, data)
                print(
                    f"{name:<10} {records:,} records in {total_s:.1f} s = "
                    f"{records / total_s:,.0f} records/s (validation {validate_s:.1f} s, "
                    f"references + writes + audit {total_s - validate_s:.1f} s)"
                )
        finally:
            if server is not None:
                server.__exit__(None, None, None)
    print(f"peak RSS of this process: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
