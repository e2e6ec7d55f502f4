"""Chunk boundaries: sections, sentences, overlap, code blocks and table rows never cut, FAQ pairs."""

from knowledge.chunking import chunk_document, split_sentences
from knowledge.demo_kb import DEMO_DIR
from knowledge.loaders import load_file
from knowledge.loaders.markdown import parse_markdown


def chunks(md: str, size: int = 120, overlap: int = 30):
    return chunk_document(parse_markdown(md, "t"), size, overlap)


def test_chinese_and_english_sentences_split():
    assert split_sentences("第一句。第二句！第三句？Fourth one. Fifth") == ["第一句。", "第二句！", "第三句？", "Fourth one.", "Fifth"]


def test_chunks_never_cross_sections_and_respect_size():
    body = "".join(f"这是第{i}句话，用来测试切分。" for i in range(40))
    out = chunks(f"# 标题\n\n## 甲\n\n{body}\n\n## 乙\n\n短句。\n")
    assert {tuple(c.heading_path) for c in out} == {("甲",), ("乙",)}
    assert all(len(c.text) <= 120 + 30 for c in out if c.heading_path == ["甲"])
    assert all(c.text.endswith("。") for c in out)  # cut at sentence ends only


def test_overlap_repeats_whole_sentences():
    body = "".join(f"句子{i:02d}内容内容内容。" for i in range(30))
    out = chunks(f"# T\n\n## S\n\n{body}\n", size=100, overlap=30)
    assert len(out) > 2
    for a, b in zip(out, out[1:]):
        first_sentence = split_sentences(b.text)[0]
        assert first_sentence in a.text  # the next chunk starts with the previous one's tail


def test_code_block_is_never_cut_mid_line():
    code = "```bash\n" + "\n".join(f"kubectl get pods -n ns{i} -o wide" for i in range(40)) + "\n```"
    out = chunks(f"# T\n\n## 命令\n\n执行：\n\n{code}\n", size=200)
    pieces = [c.text for c in out if "kubectl" in c.text]
    assert len(pieces) > 1
    lines = [line for p in pieces for line in p.split("\n") if line.startswith("kubectl")]
    assert lines == [f"kubectl get pods -n ns{i} -o wide" for i in range(40)]
    assert all(p.count("```") % 2 == 0 for p in pieces)  # every piece is a closed fence


def test_table_rows_self_describing_under_caption_and_header():
    rows = "\n".join(f"| 规格{i} | {i} 核 | {2 * i} GiB |" for i in range(1, 30))
    md = f"# 规格\n\n## 列表\n\n实例规格一览：\n\n| 规格 | CPU | 内存 |\n| --- | --- | --- |\n{rows}\n"
    out = chunks(md, size=200)
    tables = [c for c in out if c.kind == "table"]
    assert len(tables) > 1
    for c in tables:
        head, *lines = c.text.split("\n")
        assert head.startswith("实例规格一览") and "规格 | CPU | 内存" in head
        assert all(line.startswith("规格: 规格") and "；CPU: " in line and "；内存: " in line for line in lines)


def test_demo_continued_table_keeps_its_caption():
    doc = load_file(DEMO_DIR / "docs/limits/quotas.md")
    tables = [b for b in doc.blocks if b.kind == "table"]
    captions = [t.caption.split("（表头")[0] for t in tables]
    assert len(tables) >= 2 and captions[0] == captions[1]  # "（续表）" continues the first table
    assert not any("续表" in c for c in captions)


def test_faq_one_chunk_per_pair_and_product_completion_on_demo():
    faq = load_file(DEMO_DIR / "faq/faq.jsonl")
    out = chunk_document(faq, 480, 60)
    assert len(out) == len(faq.blocks) and all(c.kind == "faq" and c.text.startswith("问：") for c in out)
    vnc = chunk_document(load_file(DEMO_DIR / "docs/scs/vnc-login.md"), 480, 60)
    assert all("云服务器" in c.indexed_text.split("\n", 1)[0] for c in vnc)


def test_a_long_list_keeps_one_item_per_line_on_demo():
    """A list longer than a chunk is cut between items, never run together into one line."""
    out = chunk_document(load_file(DEMO_DIR / "docs/sos/signature-mismatch.md"), 480, 60)
    causes = "\n".join(c.text for c in out if c.heading_path[-1:] == ["可能原因"])
    lines = causes.splitlines()
    assert any(line.startswith("3. **编码问题**") for line in lines), causes
    assert any(line.startswith("   - `Content-MD5`") for line in lines), causes
    assert "?acl" in causes and "? acl" not in causes
