"""Corroboration of a synthetic casebook: 100k sources, 1M claims, 10% of sources derived.

    .venv/bin/python -m benchmarks.corroborate [--sources N] [--claims N] [--events N] [--acts N]

Builds the case graph from plain rows (what the store's column queries return), then computes
every status: independence clusters, each event's and act's status and flags, and each claim's
status. Reports the time of each step and the peak memory of the process.
Target: at most 10 s and 2 GiB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.machine import peak_rss_mib, print_machine
from benchmarks.synthetic_casebook import BASES, STANCES
from testament.corroborate import CaseGraph, corroborate


def synthetic_rows(
    *, sources: int, claims: int, events: int, acts: int, derived_share: float, seed: int
) -> dict[str, list[tuple[object, ...]]]:
    rng = np.random.default_rng(seed)
    kinds = ["official_statement" if i % 50 == 0 else "news_article" for i in range(sources)]
    derived = np.flatnonzero(rng.random(sources) < derived_share)
    derived = derived[derived > 0]
    origins = (rng.random(len(derived)) * derived).astype(np.int64)  # always an earlier source
    informants = claims // 20
    claim_informant = np.where(
        rng.random(claims) < 0.3, rng.integers(0, informants, size=claims), -1
    )
    on_act = rng.random(claims) < 0.4
    target = np.where(
        on_act, rng.integers(0, acts, size=claims), rng.integers(0, events, size=claims)
    )
    stance = rng.integers(0, len(STANCES), size=claims)
    basis = rng.integers(0, len(BASES), size=claims)
    source = rng.integers(0, sources, size=claims)
    return {
        "sources": [(f"s{i}", kinds[i]) for i in range(sources)],
        "derivations": [(f"s{a}", f"s{b}") for a, b in zip(derived, origins, strict=True)],
        "informants": [
            (f"i{i}", "perpetrator" if i % 40 == 0 else "victim") for i in range(informants)
        ],
        "claims": [
            (
                f"c{i}",
                f"s{source[i]}",
                f"i{claim_informant[i]}" if claim_informant[i] >= 0 else None,
                "act" if on_act[i] else "event",
                f"{'a' if on_act[i] else 'e'}{target[i]}",
                STANCES[stance[i]],
                BASES[basis[i]],
            )
            for i in range(claims)
        ],
        "acts": [(f"a{i}", f"e{int(rng.integers(0, events))}") for i in range(acts)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--acts", type=int, default=100_000)
    parser.add_argument("--derived-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print_machine()
    rows = synthetic_rows(
        sources=args.sources,
        claims=args.claims,
        events=args.events,
        acts=args.acts,
        derived_share=args.derived_share,
        seed=args.seed,
    )
    print(
        f"casebook: {args.sources:,} sources ({len(rows['derivations']):,} derived from another), "
        f"{len(rows['informants']):,} informants, {args.claims:,} claims about "
        f"{args.events:,} events and {args.acts:,} acts"
    )
    memory_before = peak_rss_mib()
    started = time.perf_counter()
    graph = CaseGraph.from_rows(**rows)  # type: ignore[arg-type]
    built = time.perf_counter()
    outcome = corroborate(graph)
    statuses = outcome.status_counts()
    claim_statuses = outcome.claim_statuses()
    finished = time.perf_counter()
    example = outcome.assessment(*graph.target_keys[0])
    explained = time.perf_counter()
    print(f"graph from rows:         {built - started:6.2f} s")
    print(
        f"every status computed:   {finished - built:6.2f} s "
        f"({len(graph.target_keys):,} events/acts, {len(claim_statuses):,} claims)"
    )
    print(f"total:                   {finished - started:6.2f} s  (target <= 10 s)")
    print(
        f"one explanation:         {(explained - finished) * 1000:6.1f} ms "
        f"({example.target_kind} {example.target_id}: {example.status.value})"
    )
    print(f"statuses: {statuses}")
    print(
        f"peak RSS: {peak_rss_mib():,.0f} MiB (target <= 2048 MiB; "
        f"{memory_before:,.0f} MiB of it is the synthetic input rows)"
    )


if __name__ == "__main__":
    main()
