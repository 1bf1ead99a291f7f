"""Synthetic victim lists with ground truth, for tests, benchmarks and estimation.

    from testament.synth import SynthSettings, generate_lists

    lists = generate_lists(SynthSettings(people=2000, lists=4, seed=7))
    lists.records   # the input of `testament link` (list, record_id, names, dates, place ...)
    lists.truth     # record_id, person_id, list, stratum
    lists.people    # the whole population, seen or not, with a 0/1 column per list
    lists.true_capture_history()

The population has North-Caucasus names in Cyrillic (``names``, data in ``data/``), capture is
heterogeneous with dependence between lists and strata (``capture``), and each list renders names
in its own script and transliteration system with realistic noise (``render``).
"""

from __future__ import annotations

from testament.synth.lists import SyntheticLists, SynthSettings, generate_lists, write_lists

__all__ = ["SynthSettings", "SyntheticLists", "generate_lists", "write_lists"]
