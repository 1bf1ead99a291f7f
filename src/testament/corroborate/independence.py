"""Independent lines of reporting: which sources of one allegation share an origin.

Independence is a relation between two sources, not a partition of the casebook. For one
target (an event or an act) and the sources whose claims support it, each supporting source has
an *origin*: the tokens its account comes from,

- itself and every source it repeats, transitively through ``derived_from`` (its lineage);
- the informants through whom it, or a source of its lineage, makes claims about this target;
- the outlet of each source of its lineage, unless two items of one outlet are taken as
  independent (``same_outlet_independent``; by default they are not: one newsroom may be one
  line of reporting).

Two supporting sources are *dependent* when their origins overlap. The number of independent
lines is the size of the largest set of pairwise independent supporting sources (a maximum
independent set of the dependence graph). So a digest that repeats two independent outlets is
dependent on each but does not make them dependent on each other: adding it changes nothing,
and a source that says nothing about a target has no part in its count.

How it is computed for a million claims: supporters that share no token with another supporter
of the same target are lines on their own (counted with array operations); the rest fall into
small groups (components of the target's dependence graph), and each group's maximum independent
set is found exactly by branch and bound. A group of more than ``EXACT_MAX_GROUP`` sources (which
does not occur in real casebooks) gets a greedy set instead, a lower bound that the explanation
says is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from testament.corroborate.graph import CaseGraph, IntArray

EXACT_MAX_GROUP = 64


@dataclass(frozen=True)
class Lineage:
    """Each source's ancestors (itself included) and descendants (itself included), as CSR."""

    ancestor_starts: IntArray
    ancestors: IntArray
    descendant_starts: IntArray
    descendants: IntArray

    def ancestors_of(self, source: int) -> IntArray:
        return self.ancestors[self.ancestor_starts[source] : self.ancestor_starts[source + 1]]

    def descendants_of(self, source: int) -> IntArray:
        return self.descendants[self.descendant_starts[source] : self.descendant_starts[source + 1]]


def lineage(graph: CaseGraph) -> Lineage:
    """Transitive ``derived_from`` closure both ways (the graph is checked to be acyclic)."""
    n = len(graph.source_ids)
    order = graph.topological_order()  # every source after the sources it repeats
    parents: list[list[int]] = [[] for _ in range(n)]
    for source, origin in graph.source_derived_from:
        parents[source].append(origin)
    up: list[frozenset[int]] = [frozenset()] * n
    for source in order:
        found = {source}
        for parent in parents[source]:
            found |= up[parent]
        up[source] = frozenset(found)
    down: list[set[int]] = [{source} for source in range(n)]
    for source in range(n):
        for ancestor in up[source]:
            if ancestor != source:
                down[ancestor].add(source)
    return Lineage(*_csr(up), *_csr(down))


def _csr(sets: Sequence[frozenset[int] | set[int]]) -> tuple[IntArray, IntArray]:
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    starts = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    values = np.fromiter(
        (v for s in sets for v in sorted(s)), dtype=np.int64, count=int(starts[-1])
    )
    return starts, values


@dataclass(frozen=True)
class Origins:
    """The origin tokens of every (target, supporting source) pair of one kind of claim."""

    pair_target: IntArray
    pair_source: IntArray
    token_pair: IntArray  # (token_pair[k], token[k]): pair index and one of its tokens
    token: IntArray


def origins(
    graph: CaseGraph,
    lineage_: Lineage,
    *,
    claim_target: IntArray,
    claim_index: IntArray,
    same_outlet_independent: bool,
) -> Origins:
    """Origins of the sources of the given (effective target, claim) pairs.

    Token numbering: sources ``[0, S)``, outlets ``[S, S + O)``, informants after that.
    """
    n_sources = len(graph.source_ids)
    n_outlets = len(graph.outlet_names)
    source = graph.claim_source[claim_index]
    keys = np.unique(claim_target * n_sources + source)
    pair_target, pair_source = keys // n_sources, keys % n_sources
    # every (pair, ancestor) of the pair's source
    starts, ancestors = lineage_.ancestor_starts, lineage_.ancestors
    counts = starts[pair_source + 1] - starts[pair_source]
    expanded_pair = np.repeat(np.arange(len(keys), dtype=np.int64), counts)
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    ancestor = ancestors[np.repeat(starts[pair_source], counts) + offsets]
    pairs = [expanded_pair]
    tokens = [ancestor]
    if not same_outlet_independent:
        outlet = graph.source_outlet[ancestor]
        known = outlet >= 0
        pairs.append(expanded_pair[known])
        tokens.append(n_sources + outlet[known])
    # informants of the ancestors' claims (of this kind) about the same target
    informant = graph.claim_informant[claim_index]
    with_informant = informant >= 0
    if with_informant.any():
        claim_keys = claim_target[with_informant] * n_sources + source[with_informant]
        order = np.argsort(claim_keys, kind="stable")
        claim_keys = claim_keys[order]
        claim_informants = informant[with_informant][order]
        wanted = pair_target[expanded_pair] * n_sources + ancestor
        first = np.searchsorted(claim_keys, wanted, side="left")
        last = np.searchsorted(claim_keys, wanted, side="right")
        hits = last - first
        hit_offsets = np.arange(int(hits.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(hits) - hits, hits
        )
        pairs.append(np.repeat(expanded_pair, hits))
        tokens.append(
            n_sources + n_outlets + claim_informants[np.repeat(first, hits) + hit_offsets]
        )
    token_pair = np.concatenate(pairs)
    token = np.concatenate(tokens)
    n_tokens = n_sources + n_outlets + len(graph.informant_ids)
    unique = np.unique(token_pair * n_tokens + token)
    return Origins(pair_target, pair_source, unique // n_tokens, unique % n_tokens)


@dataclass(frozen=True)
class Lines:
    """The number of independent lines of every target (and whether each count is exact)."""

    count: IntArray
    exact: npt.NDArray[np.bool_]


def count_lines(origins_: Origins, n_targets: int, preference: IntArray) -> Lines:
    """Largest number of pairwise independent supporters per target (see the module docstring)."""
    n_pairs = len(origins_.pair_target)
    count = np.zeros(n_targets, dtype=np.int64)
    exact = np.ones(n_targets, dtype=bool)
    if n_pairs == 0:
        return Lines(count, exact)
    # Pairs of one target that share a token are linked (consecutive ones suffice for components).
    target_of_token = origins_.pair_target[origins_.token_pair]
    n_tokens = int(origins_.token.max()) + 1
    order = np.lexsort((origins_.token_pair, origins_.token, target_of_token))
    key = target_of_token[order] * n_tokens + origins_.token[order]
    same = key[1:] == key[:-1]
    left = origins_.token_pair[order][:-1][same]
    right = origins_.token_pair[order][1:][same]
    adjacency = coo_matrix(
        (np.ones(len(left), dtype=np.int8), (left, right)), shape=(n_pairs, n_pairs)
    )
    _, labels = connected_components(adjacency, directed=False)
    sizes = np.bincount(labels)
    alone = sizes[labels] == 1
    np.add.at(count, origins_.pair_target[alone], 1)
    grouped = np.flatnonzero(~alone)
    if len(grouped):
        token_starts = np.searchsorted(origins_.token_pair, np.arange(n_pairs + 1))
        by_group = grouped[np.argsort(labels[grouped], kind="stable")]
        bounds = np.flatnonzero(np.diff(labels[by_group])) + 1
        for members in np.split(by_group, bounds):
            tokens = [
                frozenset(origins_.token[token_starts[m] : token_starts[m + 1]].tolist())
                for m in members
            ]
            chosen, is_exact = max_independent(tokens, preference[origins_.pair_source[members]])
            target = int(origins_.pair_target[members[0]])
            count[target] += len(chosen)
            exact[target] &= is_exact
    return Lines(count, exact)


def max_independent(
    tokens: Sequence[frozenset[int]], preference: npt.ArrayLike
) -> tuple[list[int], bool]:
    """Indices of a largest set of members with pairwise disjoint ``tokens``, and whether it is
    exact. Among the largest sets the choice is deterministic: members with a smaller
    ``preference`` (originals before the sources that repeat them, then by id) come first."""
    n = len(tokens)
    rank = np.argsort(np.asarray(preference), kind="stable").tolist()
    position = {member: i for i, member in enumerate(rank)}
    conflicts = [0] * n
    for i in range(n):
        for j in range(i + 1, n):
            if tokens[i] & tokens[j]:
                conflicts[position[i]] |= 1 << position[j]
                conflicts[position[j]] |= 1 << position[i]
    if n > EXACT_MAX_GROUP:
        chosen = _greedy(conflicts)
        return sorted(rank[i] for i in chosen), False
    best = _exact(conflicts)
    return sorted(rank[i] for i in range(n) if best >> i & 1), True


def _greedy(conflicts: list[int]) -> list[int]:
    remaining = (1 << len(conflicts)) - 1
    chosen: list[int] = []
    while remaining:
        degree = [
            ((conflicts[i] & remaining).bit_count(), i)
            for i in range(len(conflicts))
            if remaining >> i & 1
        ]
        _, pick = min(degree)
        chosen.append(pick)
        remaining &= ~(conflicts[pick] | 1 << pick)
    return chosen


def _exact(conflicts: list[int]) -> int:
    """Branch and bound over bit sets; ties keep the lexicographically first choice."""
    best = 0

    def search(chosen: int, candidates: int) -> None:
        nonlocal best
        if chosen.bit_count() + candidates.bit_count() <= best.bit_count():
            return
        if not candidates:
            best = chosen
            return
        first = (candidates & -candidates).bit_length() - 1
        search(chosen | 1 << first, candidates & ~conflicts[first] & ~(1 << first))
        if conflicts[first] & candidates:  # without a conflict, taking it is never worse
            search(chosen, candidates & ~(1 << first))

    search(0, (1 << len(conflicts)) - 1)
    return best
