"""A how-to sentence naming a setting brings the section's code block writing it, even when a paragraph
(or a site's markup) stands between (graph/setting_block.py). Run: pytest tests/graph/test_setting_shown.py"""

from __future__ import annotations

from graph.doc_units import parse_units
from graph.setting_block import setting_shown

TEXT = ("你可以通过修改配置项 `importer.skip-bad-rows` 来跳过格式错误的行。如果设置为 *N*，导入会跳过至多 *N* 行。\n\n"
        "跳过的行会记录到错误表中。导入完成后可以查看错误表，手动处理。请参见[错误表](#错误表)。\n\n"
        "```bash\nimporter --check-only data.csv\n```\n\n"
        "```toml\n[importer]\nskip-bad-rows = 100\n```\n\n"
        "该配置对下列错误有效：\n\n- 列数不匹配\n- 日期格式错误")


def test_the_setting_named_comes_with_the_block_writing_it():
    units = parse_units(TEXT)
    named = next(i for i, u in enumerate(units) if "importer.skip-bad-rows" in u.text)
    shown = setting_shown(units, {named})
    assert [units[i].text for i in sorted(shown - {named})] == [next(u.text for u in units if "skip-bad-rows = 100" in u.text)]


def test_a_sentence_naming_no_setting_brings_nothing():
    units = parse_units(TEXT)
    plain = next(i for i, u in enumerate(units) if u.text.startswith("跳过的行会记录"))
    assert setting_shown(units, {plain}) == {plain}
