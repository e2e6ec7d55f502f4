"""The guard reads a misspelt short name of the base as the name ("tkiv" -> TiKV), on real pages."""

from __future__ import annotations

import pytest

from graph.domain_check import judge_message
from tests.graph.conftest import corpora_pages_kb, make_context

PAGES = [f"tidb-docs-cn/{p}" for p in ("tikv-overview.md", "tikv-configuration-file.md", "tikv-control.md")]


@pytest.fixture(scope="module")
def tikv_kb(tmp_path_factory):
    yield from corpora_pages_kb(tmp_path_factory, PAGES, "tikvpages")


def test_a_four_letter_name_with_neighbours_swapped_is_in_domain(tikv_kb):
    ctx = make_context(tikv_kb)
    assert judge_message(ctx, "tikv 老是挂掉咋整", "tikvpages", {})["kind"] == "answer"
    assert judge_message(ctx, "tkiv 老是挂掉咋整", "tikvpages", {})["kind"] == "answer"


def test_short_everyday_words_stay_off_domain(tikv_kb):
    ctx = make_context(tikv_kb)
    for message in ("wifi 密码忘了怎么查看", "iphnoe 怎么截长图"):
        assert judge_message(ctx, message, "tikvpages", {})["kind"] == "refuse", message
