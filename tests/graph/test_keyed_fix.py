"""A how-to or a meaning asked about one cause, on a page whose solution section is a list keyed by
cause ("- **污点**：…", graph/keyed_fix.py): that cause's item follows the answer, with its command,
not another cause's. Run: pytest tests/graph/test_keyed_fix.py"""

from __future__ import annotations

from graph.keyed_fix import keyed_items
from knowledge.types import Passage
from tests.graph.fakes import extractive_answer, page_chunk

TITLE = "任务一直排队不执行"


def _chunk(chunk_id: str, heads: list[str], text: str) -> Passage:
    return page_chunk("docs/batch/queued.md", TITLE, chunk_id, heads, text)


FIXES = ("- **配额用尽**：\n  1. 在控制台提交提额工单；\n  2. 或释放空闲的计算节点：\n\n"
         "     ```bash\n     sscli batch release-node --idle\n     ```\n\n"
         "- **镜像不存在**：核对 `imageName` 是否拼写正确（`sscli batch list-images`）。\n"
         "- **标签不匹配**：修正任务的 `nodeLabels`，或给节点池打上对应标签。\n\n"
         "修复后调度器会自动重试，无需重新提交任务。")
PAGE = [
    _chunk("q-0", ["可能原因"], "1. **配额用尽**：队列中可用的 vCPU 配额为 0，事件中出现 `quota exceeded`；\n"
                               "2. **镜像不存在**：任务引用的镜像名写错，事件中出现 `image not found`；\n"
                               "3. **标签不匹配**：没有节点带有任务要求的标签，事件中出现 `no node matches labels`。"),
    _chunk("q-1", ["排查步骤"], "用 `sscli batch describe-job <任务ID>` 查看事件，事件会说明原因。"),
    _chunk("q-2", ["解决方法"], FIXES),
]


def test_the_keyed_items_of_a_solution_list():
    items = keyed_items(FIXES)
    assert [k for k, _ in items] == ["配额用尽", "镜像不存在", "标签不匹配"]
    assert "sscli batch release-node --idle" in items[0][1] and "自动重试" not in items[-1][1]


def test_prose_is_no_keyed_list():
    assert keyed_items("先检查配额。\n\n- 查看事件\n- 查看日志") == []


def test_a_how_to_for_one_cause_gets_that_causes_fix():
    text = extractive_answer(PAGE, "任务排队 事件说 image not found 咋办", "howto")
    assert "sscli batch list-images" in text
    assert "release-node" not in text and "nodeLabels" not in text


def test_a_meaning_asked_is_followed_by_its_fix():
    text = extractive_answer(PAGE, "事件里写 no node matches labels 是啥意思", "define")
    assert "nodeLabels" in text and "sscli batch list-images" not in text


def test_a_key_sharing_only_a_word_of_the_question_is_no_fix_for_it():
    """"镜像被拒绝" shares 拒绝 with "**权限拒绝**" but names the image cause, which has no item here."""
    page = [PAGE[0], PAGE[1], _chunk("q-2", ["解决方法"], FIXES.replace("**镜像不存在**", "**权限拒绝**"))]
    text = extractive_answer(page, "任务排队 事件说 image not found 被拒绝了咋办", "howto")
    assert "sscli batch list-images" not in text
