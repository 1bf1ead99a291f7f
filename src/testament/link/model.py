"""The Fellegi–Sunter model in Splink: comparisons, blocking rules, training and scoring.

Comparisons work on the columns ``testament.link.features`` computed, so their SQL is the same on
DuckDB and Spark apart from the name of the Jaro-Winkler function:

* **name** — given and family key together, so that a swapped pair (Хасанов Магомед vs Magomed
  Khasanov read the other way round) has a level of its own: exact / swapped / one exact and the
  other close / both close (or swapped and close) / one exact and the other sounding alike (see
  ``names.sound_key``) / both sounding alike / one exact and the other missing / one exact and
  the other different / else. The exact level is adjusted by term frequency: two "Muhammad
  Magomedov" agree less tellingly than two "Zelimkhan Tsuev".
* **patronymic** — the father's name it is built on: exact / close / else.
* **birth** — intervals of days: same day / overlapping and both within a year / overlapping /
  within two years / else. An age at an event is an interval like any other.
* **sex**, **place** (folded settlement), **event** (interval of the reported event date).
* **address** (folded, sorted words and numbers): equal / close / similar / else.
* **document** (identity document number): equal / one character apart / else.

Blocking keeps pairs that share full name keys, phonetic keys of both names, swapped keys, one
name key together with the birth year, the patronymic or the other name one typo away, a swapped
given name in the same place, the full date of birth, the document number, or the address. (Not
the sound keys of both names: at 100,000 records that rule doubled the time of scoring, since
it enumerates the blocks of common names a second time, for a gain seen only in a convention
that writes Х as j.)

Training: every level starts from plausible m and u values written here (so that a small input
still scores sensibly), the prior comes from pairs agreeing on names and birth year, u from
random sampling, m from EM on a blocking pass with the names fixed and, where lists give full
dates of birth, a pass with the day of birth fixed (kept only when plausible; see
``_EM_PASSES``); reviewer-accepted pairs, when there are enough, re-estimate m as labels. No m is
left below ``M_FLOOR``. Scoring runs chunk against chunk (``LinkSettings.chunk_records``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from testament.link.features import to_arrow
from testament.link.settings import LinkSettings

_JARO_WINKLER = {"duckdb": "jaro_winkler_similarity", "spark": "jaro_winkler"}


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """A Splink blocking rule; ``explode`` names an array column unnested before the join, so that
    ``l.col = r.col`` means "the arrays share an element"."""

    sql: str
    explode: str | None = None

    def as_splink(self, extra: str = "") -> dict[str, Any]:
        rule: dict[str, Any] = {"blocking_rule": f"({self.sql}){extra}"}
        if self.explode is not None:
            rule["arrays_to_explode"] = [self.explode]
        return rule

    def as_plain_sql(self) -> str:
        """The rule for one already-joined pair (arrays compared by shared elements, in DuckDB)."""
        if self.explode is None:
            return self.sql
        column = self.explode
        return self.sql.replace(f"l.{column} = r.{column}", f"list_has_any(l.{column}, r.{column})")


BLOCKING_RULES = (
    BlockingRule("l.family_key = r.family_key and l.given_key = r.given_key"),
    BlockingRule("l.family_phon = r.family_phon and l.given_phon = r.given_phon"),
    BlockingRule("l.given_key = r.given_alt and l.family_key = r.family_alt"),
    BlockingRule("l.family_key = r.family_key and l.birth_year = r.birth_year"),
    BlockingRule("l.family_phon = r.family_phon and l.birth_year = r.birth_year"),
    BlockingRule("l.given_key = r.given_key and l.birth_year = r.birth_year"),
    BlockingRule("l.given_key = r.given_key and l.patronymic_key = r.patronymic_key"),
    BlockingRule("l.family_key = r.family_key and l.patronymic_key = r.patronymic_key"),
    # One typo in one name: the two keys share a one-letter deletion (symmetric deletion). Pairs
    # whose keys are equal are left to the rules above: two equal keys share every deletion, and
    # without the inequality the exploded join would make each such pair a dozen times.
    BlockingRule(
        "l.family_key = r.family_key and l.given_dels = r.given_dels "
        "and l.given_key <> r.given_key",
        "given_dels",
    ),
    BlockingRule(
        "l.given_key = r.given_key and l.family_dels = r.family_dels "
        "and l.family_key <> r.family_key",
        "family_dels",
    ),
    BlockingRule("l.given_alt = r.given_key and l.place_key = r.place_key"),
    # One name written in the other's place and the other name changed: the name that moved,
    # together with the birth year. A rule sees a pair in one orientation only (left record
    # first), so each of the four ways one name can move has its own rule.
    BlockingRule("l.given_alt = r.given_key and l.birth_year = r.birth_year"),
    BlockingRule("l.given_key = r.given_alt and l.birth_year = r.birth_year"),
    BlockingRule("l.family_alt = r.family_key and l.birth_year = r.birth_year"),
    BlockingRule("l.family_key = r.family_alt and l.birth_year = r.birth_year"),
    # Both names mistyped, or missing, but the same full date of birth, document or address.
    BlockingRule("l.birth_day = r.birth_day"),
    BlockingRule("l.document_key = r.document_key"),
    BlockingRule("l.address_key = r.address_key"),
)

# The prior (probability that two random records match) is estimated from the pairs that agree on
# both names and the birth year, assumed to find this share of all true pairs.
_PRIOR_KEYS = ("given_key", "family_key", "birth_year")
_PRIOR_RULE_RECALL = 0.6
# EM passes: the columns each pass holds fixed (so it estimates the others), and its SQL.
# The first fixes the names and learns everything else. The second fixes an exact day of birth
# (across lists) to learn the names; it runs only where lists give full dates, and its result is
# kept only if it is plausible (see ``_plausible``): where full dates are rare, such a pass is
# dominated by non-matches and EM can converge to a wrong class. Otherwise the name comparison
# keeps the domain values written above, re-estimated from reviewers' decisions once there are
# enough (``LinkSettings.min_labelled_matches``).
_EM_PASSES: tuple[tuple[tuple[str, ...], bool, str], ...] = (
    (
        ("given_key", "family_key"),
        False,
        "l.given_key = r.given_key and l.family_key = r.family_key",
    ),
    (("birth_day",), True, "l.birth_day = r.birth_day and l.list_name <> r.list_name"),
)
MIN_EM_PAIRS = 200

# The columns whose levels are adjusted by term frequency (see ``leave_one_out_frequencies``).
_TF_COLUMNS = ("name_key",)
# The columns any of which makes a record comparable by each comparison (not its null level).
_PRESENT_WHEN = {
    "name": ("given_key", "family_key"),
    "patronymic": ("patronymic_key",),
    "birth": ("birth_lo",),
    "sex": ("sex",),
    "place": ("place_key",),
    "event": ("event_lo",),
    "address": ("address_key",),
    "document": ("document_key",),
}
# Below this many comparable pairs among the records sampled for u, the sample says nothing about
# how often non-matches agree: a few records with a passport number, two of them the same man,
# would give "equal" a u of 1. Such comparisons keep the u values written here.
MIN_U_PAIRS = 10_000


def pairs_sharing(
    features: pd.DataFrame, columns: Sequence[str], *, across_lists: bool = False
) -> int:
    """How many record pairs agree on all ``columns`` (none of them blank), optionally counting
    only pairs of records from different lists."""
    if across_lists:
        return pairs_sharing(features, columns) - pairs_sharing(features, [*columns, "list_name"])
    known = features.dropna(subset=list(columns))
    sizes = known.groupby(list(columns), sort=False).size().to_numpy(dtype=float)
    return int((sizes * (sizes - 1) / 2).sum())


def sparse_comparisons(features: pd.DataFrame, sample_pairs: float) -> set[str]:
    """The comparisons expected to have fewer than ``MIN_U_PAIRS`` comparable pairs among the
    records that random sampling for u draws from ``features`` (about ``sqrt(2 * sample_pairs)``
    records, as Splink draws them)."""
    share = min(1.0, math.sqrt(2 * sample_pairs) / max(len(features), 1))
    sparse = set()
    for comparison, columns in _PRESENT_WHEN.items():
        sampled = share * float(features[list(columns)].notna().any(axis=1).sum())
        if sampled * (sampled - 1) / 2 < MIN_U_PAIRS:
            sparse.add(comparison)
    return sparse


def estimate_prior(features: pd.DataFrame) -> float:
    """Probability that two records drawn at random are the same person (see ``_PRIOR_KEYS``)."""
    count = len(features)
    total = count * (count - 1) / 2
    if total < 1:
        return 0.5
    found = pairs_sharing(features, _PRIOR_KEYS) / _PRIOR_RULE_RECALL
    return float(min(0.5, max(found, 1.0) / total))


def _level(
    sql: str,
    label: str,
    m_u: tuple[float, float] | None = None,
    *,
    null: bool = False,
    tf: str | None = None,
) -> dict[str, Any]:
    """A comparison level; ``m_u`` are starting values that training refines (see module doc)."""
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    if m_u is not None:
        level["m_probability"], level["u_probability"] = m_u
    if tf is not None:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = 1.0
    return level


def _else(m_u: tuple[float, float]) -> dict[str, Any]:
    return _level("ELSE", "all other", m_u)


def _name_comparison(jw: str) -> dict[str, Any]:
    given_close = f"{jw}(given_key_l, given_key_r) >= 0.88"
    family_close = f"{jw}(family_key_l, family_key_r) >= 0.9"
    # Sounding alike: equal or nearly so once the letters systems disagree on are merged
    # (``names.sound_key``: a Hungarian "Szulejman", a Spanish "Jasan" for Хасан). Looser than
    # the levels above, so a level of its own below them, with its own u.
    given_alike = f"{jw}(given_sound_l, given_sound_r) >= 0.9"
    family_alike = f"{jw}(family_sound_l, family_sound_r) >= 0.92"
    # The names written in each other's places and a little different too.
    swapped_close = (
        f"{jw}(given_key_l, given_alt_r) >= 0.88 and {jw}(family_key_l, family_alt_r) >= 0.9"
    )
    return {
        "output_column_name": "name",
        "comparison_description": "given and family name keys (canonical Latin)",
        "comparison_levels": [
            _level(
                "(given_key_l is null and family_key_l is null) "
                "or (given_key_r is null and family_key_r is null)",
                "no name",
                null=True,
            ),
            _level("name_key_l = name_key_r", "both names equal", (0.8, 0.0005), tf="name_key"),
            _level(
                "given_key_l = given_alt_r and family_key_l = family_alt_r",
                "given and family swapped",
                (0.015, 0.0001),
            ),
            _level(
                f"(family_key_l = family_key_r and {given_close}) "
                f"or (given_key_l = given_key_r and {family_close})",
                "one equal, the other close",
                (0.07, 0.002),
            ),
            _level(
                f"({given_close} and {family_close}) or ({swapped_close})",
                "both close",
                (0.015, 0.01),
            ),
            _level(
                f"(family_key_l = family_key_r and {given_alike}) "
                f"or (given_key_l = given_key_r and {family_alike})",
                "one equal, the other sounding alike",
                (0.01, 0.01),
            ),
            _level(
                f"({given_alike} and {family_alike}) "
                "or (given_phon_l = given_phon_r and family_phon_l = family_phon_r)",
                "both sounding alike",
                (0.01, 0.01),
            ),
            _level(
                "(family_key_l = family_key_r and (given_key_l is null or given_key_r is null)) "
                "or (given_key_l = given_key_r and (family_key_l is null or family_key_r is null))",
                "one equal, the other missing",
                (0.04, 0.02),
            ),
            # A typo too big for the levels above in a short name (Adam/Adpm) or in one the
            # variant table maps (Магомегов is no longer Magomedov's key): one name still
            # agrees, which namesakes sharing a family name also do, but less often.
            _level(
                "family_key_l = family_key_r or given_key_l = given_key_r",
                "one equal, the other different",
                (0.03, 0.03),
            ),
            _else((0.01, 0.9174)),
        ],
    }


def _patronymic_comparison(jw: str) -> dict[str, Any]:
    return {
        "output_column_name": "patronymic",
        "comparison_description": "father's name the patronymic is built on",
        "comparison_levels": [
            _level("patronymic_key_l is null or patronymic_key_r is null", "missing", null=True),
            _level("patronymic_key_l = patronymic_key_r", "equal", (0.85, 0.03)),
            _level(f"{jw}(patronymic_key_l, patronymic_key_r) >= 0.88", "close", (0.08, 0.02)),
            _else((0.07, 0.95)),
        ],
    }


def _interval_distance(prefix: str) -> str:
    """Days between two intervals; zero or negative when they overlap."""
    return f"greatest({prefix}_lo_l - {prefix}_hi_r, {prefix}_lo_r - {prefix}_hi_l)"


def _birth_comparison() -> dict[str, Any]:
    distance = _interval_distance("birth")
    narrow = "(birth_hi_l - birth_lo_l) <= 366 and (birth_hi_r - birth_lo_r) <= 366"
    return {
        "output_column_name": "birth",
        "comparison_description": "birth intervals from EDTF dates, years and ages",
        "comparison_levels": [
            _level("birth_lo_l is null or birth_lo_r is null", "unknown", null=True),
            _level(
                "birth_lo_l = birth_hi_l and birth_lo_r = birth_hi_r and birth_lo_l = birth_lo_r",
                "same day",
                (0.35, 0.0001),
            ),
            _level(f"{distance} <= 0 and {narrow}", "overlap, both within a year", (0.3, 0.02)),
            _level(f"{distance} <= 0", "overlap", (0.2, 0.05)),
            _level(f"{distance} <= 731", "within two years", (0.1, 0.08)),
            _else((0.05, 0.8499)),
        ],
    }


def _event_comparison() -> dict[str, Any]:
    distance = _interval_distance("event")
    return {
        "output_column_name": "event",
        "comparison_description": "intervals of the reported event dates",
        "comparison_levels": [
            _level("event_lo_l is null or event_lo_r is null", "unknown", null=True),
            _level(f"{distance} <= 0", "overlap", (0.6, 0.05)),
            _level(f"{distance} <= 31", "within a month", (0.15, 0.05)),
            _level(f"{distance} <= 366", "within a year", (0.15, 0.3)),
            _else((0.1, 0.6)),
        ],
    }


def _sex_comparison() -> dict[str, Any]:
    return {
        "output_column_name": "sex",
        "comparison_levels": [
            _level("sex_l is null or sex_r is null", "unknown", null=True),
            _level("sex_l = sex_r", "equal", (0.98, 0.5)),
            _else((0.02, 0.5)),
        ],
    }


def _place_comparison(jw: str) -> dict[str, Any]:
    return {
        "output_column_name": "place",
        "comparison_levels": [
            _level("place_key_l is null or place_key_r is null", "unknown", null=True),
            _level("place_key_l = place_key_r", "equal", (0.7, 0.1)),
            _level(f"{jw}(place_key_l, place_key_r) >= 0.9", "close", (0.1, 0.02)),
            _else((0.2, 0.88)),
        ],
    }


def _address_comparison(jw: str) -> dict[str, Any]:
    return {
        "output_column_name": "address",
        "comparison_levels": [
            _level("address_key_l is null or address_key_r is null", "unknown", null=True),
            _level("address_key_l = address_key_r", "equal", (0.6, 0.001)),
            _level(f"{jw}(address_key_l, address_key_r) >= 0.9", "close", (0.2, 0.005)),
            _level(f"{jw}(address_key_l, address_key_r) >= 0.75", "similar", (0.1, 0.1)),
            _else((0.1, 0.894)),
        ],
    }


def _document_comparison() -> dict[str, Any]:
    half = "cast(floor(length(document_key_l) / 2) as int)"  # the same in DuckDB and Spark SQL
    return {
        "output_column_name": "document",
        "comparison_levels": [
            _level("document_key_l is null or document_key_r is null", "unknown", null=True),
            _level("document_key_l = document_key_r", "equal", (0.9, 0.00001)),
            _level(
                # Keys one edit apart share their first or their second half; the cheap test
                # spares the edit distance of nearly every pair.
                f"(left(document_key_l, {half}) = left(document_key_r, {half}) "
                f"or right(document_key_l, {half}) = right(document_key_r, {half})) "
                "and levenshtein(document_key_l, document_key_r) <= 1",
                "one character apart",
                (0.07, 0.0001),
            ),
            _else((0.03, 0.99989)),
        ],
    }


def blocking_rules(settings: LinkSettings) -> list[dict[str, Any]]:
    """The blocking rules of a run, for Splink (only across lists unless ``within_lists``)."""
    extra = "" if settings.within_lists else " and l.list_name <> r.list_name"
    return [rule.as_splink(extra) for rule in BLOCKING_RULES]


def splink_settings(settings: LinkSettings) -> dict[str, Any]:
    """The Splink settings dictionary of the testament model for the run's engine."""
    jw = _JARO_WINKLER[settings.engine]
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": [
            _name_comparison(jw),
            _patronymic_comparison(jw),
            _birth_comparison(),
            _sex_comparison(),
            _place_comparison(jw),
            _event_comparison(),
            _address_comparison(jw),
            _document_comparison(),
        ],
        "blocking_rules_to_generate_predictions": blocking_rules(settings),
        "additional_columns_to_retain": ["list_name"],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
        "em_convergence": 0.0005,
    }


def _plausible(model: dict[str, Any]) -> bool:
    """Whether trained m values make sense: among true matches, both names agreeing must be more
    likely than the names disagreeing, and not rare."""
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] != "name":
            continue
        m = {
            level["label_for_charts"]: float(level.get("m_probability") or 0.0)
            for level in comparison["comparison_levels"]
        }
        agreeing = m["both names equal"]
        return agreeing >= 0.2 and agreeing > m["all other"]
    return True


# No level of a comparison is impossible for a true match: a wrong date or a second place of
# detention happens. EM on a few thousand pairs can still drive an m to zero, which would veto a
# pair whatever else agrees; m values are kept at or above this floor and renormalised.
M_FLOOR = 0.005
# EM sums floating-point numbers in whatever order the engine's threads hand them over, so its
# estimates differ from run to run in the last bits, and so would every score: enough to reorder
# pairs and change clusters. Trained m and u are kept to this many significant digits, far finer
# than their statistical precision, so that the same records give the same model every time.
SIGNIFICANT_DIGITS = 6


def _fixed(value: float) -> float:
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def _with_floor(linker: Any) -> dict[str, Any]:
    """The trained model with every m probability at least ``M_FLOOR``, and every m and u
    rounded to ``SIGNIFICANT_DIGITS``."""
    model: dict[str, Any] = linker.misc.save_model_to_json()
    for comparison in model["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if "m_probability" in level]
        floored = [max(M_FLOOR, float(level["m_probability"])) for level in levels]
        total = sum(floored)
        for level, value in zip(levels, floored, strict=True):
            level["m_probability"] = _fixed(value / total)
        for level in comparison["comparison_levels"]:
            if level.get("u_probability") is not None:
                level["u_probability"] = _fixed(float(level["u_probability"]))
    return model


def _with_starting_u(
    linker: Any, starting: dict[str, Any], comparisons: set[str]
) -> dict[str, Any]:
    """The linker's model with the u values of ``comparisons`` put back to ``starting``'s."""
    model: dict[str, Any] = linker.misc.save_model_to_json()
    start = {c["output_column_name"]: c for c in starting["comparisons"]}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        if name not in comparisons:
            continue
        for level, first in zip(
            comparison["comparison_levels"], start[name]["comparison_levels"], strict=True
        ):
            if "u_probability" in first:
                level["u_probability"] = first["u_probability"]
    return model


def leave_one_out_frequencies(features: pd.DataFrame, column: str) -> pd.DataFrame:
    """Each value of ``column`` with the share of the *other* records that have it:
    ``(count - 1) / (records - 1)``, the term frequency the model's adjustment uses.

    Splink's own table counts the record itself, ``count / records``, which for a value held by one
    person seen on two lists is twice the truth: the chance that a record of *someone else*
    agrees. The same man on three lists would count three times. Leaving the record out keeps
    the adjustment honest for rare names (still an upper bound: the other records with the value
    may be the same person again). Values held once get the smallest frequency there is, 1 in
    ``records - 1`` (no pair agrees on them anyway)."""
    counts = features[column].dropna().value_counts(sort=False)
    others = max(int(counts.sum()) - 1, 1)
    shares = ((counts - 1).clip(lower=1) / others).astype(float)
    return pd.DataFrame({column: counts.index.astype(str), f"tf_{column}": shares.to_numpy()})


def _with_leave_one_out_frequencies(linker: Any, db_api: Any, features: pd.DataFrame) -> None:
    """Register ``leave_one_out_frequencies`` as the term frequencies of every adjusted column."""
    for column in _TF_COLUMNS:
        table = db_api.register(leave_one_out_frequencies(features, column))
        linker.table_management.register_term_frequency_lookup(table, column)


def _relinked(db_api: Any, features: pd.DataFrame, model: dict[str, Any]) -> Any:
    """A linker with ``model`` (a trained version of settings the first linker checked)."""
    from splink import Linker

    table = db_api.register(to_arrow(features))
    return Linker(table, model, log_level=None, validate_settings=False)


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    """What the model returns: scored pairs above the review threshold, and the model itself."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability
    model_json: dict[str, Any]
    labelled_matches_used: int


def score(
    features: pd.DataFrame,
    settings: LinkSettings,
    db_api: Any,
    *,
    labelled_matches: Sequence[tuple[str, str]] = (),
    step: Callable[[str], None] = lambda _name: None,
) -> ScoredPairs:
    """Train the model on ``features`` without labels (plus labels when enough) and score pairs.

    ``db_api`` is a Splink database API (DuckDBAPI or SparkAPI) made by ``testament.link.engine``.
    ``step`` is called with the name of each long step, for progress display.
    """
    from splink import Linker

    table = db_api.register(to_arrow(features))
    model_settings = splink_settings(settings)
    model_settings["probability_two_random_records_match"] = estimate_prior(features)
    linker: Any = Linker(table, model_settings, log_level=None)
    step("estimating u by random sampling")
    # One pass over the sample: the sample is small (u_sample_pairs), so Splink's chunks and early
    # stopping would only add a query per chunk per comparison, and rare levels never stop early.
    linker.training.estimate_u_using_random_sampling(
        max_pairs=settings.u_sample_pairs, seed=settings.seed, num_chunks=1
    )
    sparse = sparse_comparisons(features, settings.u_sample_pairs)
    if sparse:
        linker = _relinked(db_api, features, _with_starting_u(linker, model_settings, sparse))
    for fixed, across_lists, rule in _EM_PASSES:
        blocked = pairs_sharing(features, fixed, across_lists=across_lists)
        if blocked < MIN_EM_PAIRS:
            continue
        step("estimating m by expectation maximisation")
        before = linker.misc.save_model_to_json()
        cap = settings.em_max_pairs
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule,
            max_pairs=cap if cap is not None and blocked > cap else None,
            estimate_without_term_frequencies=True,
        )
        if not _plausible(linker.misc.save_model_to_json()):
            linker = _relinked(db_api, features, before)
    linker = _relinked(db_api, features, _with_floor(linker))
    _with_leave_one_out_frequencies(linker, db_api, features)
    used = 0
    if len(labelled_matches) >= settings.min_labelled_matches:
        step("estimating m from reviewed pairs")
        labels = pd.DataFrame(
            {
                "unique_id_l": [left for left, _ in labelled_matches],
                "unique_id_r": [right for _, right in labelled_matches],
                "clerical_match_score": 1.0,
            }
        )
        labels_table = db_api.register(labels)
        linker.training.estimate_m_from_pairwise_labels(labels_table)
        used = len(labelled_matches)
    step("scoring blocked pairs")
    chunks = max(1, math.ceil(len(features) / settings.chunk_records))
    predictions = linker.inference.predict(
        threshold_match_probability=settings.review_threshold,
        num_chunks_left=chunks,
        num_chunks_right=chunks,
        warning_mode="never",
    )
    frame = predictions.as_pandas_dataframe()
    pairs = pd.DataFrame(
        {
            "unique_id_l": frame["unique_id_l"].astype(str),
            "unique_id_r": frame["unique_id_r"].astype(str),
            "match_probability": frame["match_probability"].astype(float),
        }
    )
    model = linker.misc.save_model_to_json()
    return ScoredPairs(pairs=pairs, model_json=model, labelled_matches_used=used)
