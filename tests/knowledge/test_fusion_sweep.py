"""benchmarks/fusion_sweep.py: settings parsed, figures counted per half."""

import pytest

from benchmarks.fusion_sweep import figures, halves, line, parse


def test_a_setting_is_a_fusion_and_settings_fields():
    assert parse("rrf") == {"fusion": "rrf"}
    assert parse("scores:dense_weight=0.3,rrf_k=20") == {"fusion": "scores", "dense_weight": 0.3, "rrf_k": 20}


@pytest.mark.parametrize("spec", ["max", "scores:dense_weight"])
def test_a_bad_setting_is_refused(spec):
    with pytest.raises(ValueError):
        parse(spec)


def test_figures_count_recall_and_reciprocal_rank():
    ranks = {"a-1": 1, "a-2": 4, "a-3": None, "a-4": 7}
    assert figures(ranks, list(ranks)) == "0.250 / 0.500 / 0.348"


def test_halves_split_numbered_ids_and_moves_are_counted():
    items = [{"id": "k-1"}, {"id": "k-2"}, {"id": "k-3"}]
    assert halves(items) == [("all", ["k-1", "k-2", "k-3"]), ("even", ["k-2"]), ("odd", ["k-1", "k-3"])]
    assert halves([{"id": "first"}]) == [("all", ["first"])]
    text = line("x", {"k-1": 2, "k-2": 1, "k-3": None}, items, {"k-1": 1, "k-2": 1, "k-3": 3})
    assert "even 1.000 / 1.000 / 1.000" in text and "(moved 2, better 0)" in text
