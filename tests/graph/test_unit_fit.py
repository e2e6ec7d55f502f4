"""Units an extractive answer shows with a chosen one (graph/unit_fit.attach).
Run: pytest tests/graph/test_unit_fit.py"""

from __future__ import annotations

import pytest

from graph.doc_units import parse_units
from graph.unit_fit import attach

SECTION = """如果 `df` 的已用量明显大于 `du` 的统计，多半是文件被删除但仍有进程持有句柄：

```bash
lsof +L1
```

输出示例：

```
nginx  812 www  4w  REG  253,1  5368709120  0  77 /var/log/nginx/access.log (deleted)
```

{lead}进程 812 仍在写一个已删除的 5 GiB 日志。重启该进程即可释放空间。
"""


@pytest.mark.parametrize("lead", ["这表示", "这说明", "这表明"])
def test_a_sentence_reading_the_output_brings_the_command_that_printed_it(lead):
    units = parse_units(SECTION.format(lead=lead))
    i = next(k for k, u in enumerate(units) if u.text.startswith(lead))
    shown = [u.text for u in attach(units, {i})]
    assert any("lsof +L1" in t for t in shown)  # the command, not only what its output means
    assert not any("access.log (deleted)" in t for t in shown)  # the sample output stays out
