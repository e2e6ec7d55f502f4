"""Every loader on small files the tests create, plus the bad-file cases."""

import json

import pytest

from knowledge.errors import KnowledgeError
from knowledge.loaders import load_file
from tests.knowledge.conftest import write
from tests.knowledge.files import make_docx, make_pdf, make_xlsx


def test_markdown_front_matter_title_headings_and_terms(tmp_path):
    path = write(tmp_path, "a.md", "---\ntitle: SSH 无法登录\nproduct: 云服务器\ntags: [SSH, 安全组]\n---\n"
                 "# SSH 无法登录\n\n## 现象\n\n连接超时。\n\n### 细节\n\n更多。\n")
    doc = load_file(path)
    assert doc.title == "SSH 无法登录"
    assert [b.heading_path for b in doc.blocks] == [["现象"], ["现象", "细节"]]
    assert {"云服务器", "SSH", "安全组"} <= set(doc.terms)


def test_markdown_without_front_matter_uses_first_h1(tmp_path):
    doc = load_file(write(tmp_path, "b.md", "# 标题一\n\n正文。\n"))
    assert doc.title == "标题一" and doc.blocks[0].text == "正文。"


def test_plain_text(tmp_path):
    doc = load_file(write(tmp_path, "note.txt", "值班记录\n\n数据库主从延迟升高。\n\n已处理。"))
    assert doc.title == "值班记录" and len(doc.blocks) == 3


def test_html_drops_navigation_scripts_and_comments(tmp_path):
    html = """<html><head><title>值班手册</title><script>var x=1;</script></head><body>
    <nav class="sidebar">首页 | 编辑 | 历史版本</nav><div class="breadcrumb">Wiki &gt; 运维</div>
    <main><h1>值班手册</h1><!-- hidden --><h2>数据库故障</h2><p>先确认主库状态。</p><ul><li>查看监控</li></ul>
    <table><caption>联系人</caption><tr><th>角色</th><th>电话</th></tr><tr><td>DBA</td><td>123</td></tr></table>
    <pre>SHOW SLAVE STATUS;</pre></main><div id="comments">评论：好文</div><footer>版权所有</footer></body></html>"""
    doc = load_file(write(tmp_path, "w.html", html))
    text = "\n".join(b.text + "".join(b.rows) for b in doc.blocks)
    assert doc.title == "值班手册"
    assert "先确认主库状态" in text and "查看监控" in text and "SHOW SLAVE STATUS" in text
    for noise in ("var x", "历史版本", "Wiki", "评论", "版权", "hidden"):
        assert noise not in text
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.rows == ["角色: DBA；电话: 123"] and table.caption.startswith("联系人")


def test_pdf(tmp_path):
    path = make_pdf(tmp_path / "guide.pdf", ["Disk full troubleshooting", "Run df -h to check usage."], title="Disk Guide")
    doc = load_file(path)
    assert doc.title == "Disk Guide"
    assert "df -h" in doc.blocks[0].text and doc.blocks[0].heading_path == ["第 1 页"]


def test_docx_headings_paragraphs_and_table(tmp_path):
    doc = load_file(make_docx(tmp_path / "disk.docx"))
    assert doc.title == "云硬盘扩容指南"
    assert doc.blocks[0].heading_path == ["在线扩容"] and "在线扩容" in doc.blocks[0].text
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.rows == ["类型: 高性能云盘；容量范围: 10-32000 GiB", "类型: SSD 云盘；容量范围: 20-32000 GiB"]
    assert table.caption.startswith("下表列出各类型云盘的容量范围")


def test_xlsx_title_row_becomes_caption(tmp_path):
    doc = load_file(make_xlsx(tmp_path / "types.xlsx"))
    table = doc.blocks[0]
    assert table.caption.startswith("云服务器实例规格表") and "规格 | vCPU | 内存" in table.caption
    assert table.rows[0] == "规格: s2.small；vCPU: 1；内存: 2 GiB"


def test_csv_table_and_gbk_encoding(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_bytes("错误码,含义\n1040,连接数过多\n".encode("gb18030"))
    doc = load_file(path)
    assert doc.blocks[0].rows == ["错误码: 1040；含义: 连接数过多"]


def test_faq_jsonl_cleaning_dedup_and_empty(tmp_path):
    rows = [{"question": "如何重置密码？", "answer": "在控制台重置。以上内容是否对您有帮助？"},
            {"question": "如何重置密码?", "answer": "重复的问题"},
            {"question": "空答案？", "answer": "  "},
            {"question": "端口是多少？", "answer": "22。更新时间：2024-05-01"}]
    path = write(tmp_path, "faq.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    doc = load_file(path)
    assert [(b.question, b.text) for b in doc.blocks] == [("如何重置密码？", "在控制台重置。"), ("端口是多少？", "22。")]


def test_faq_yaml_and_csv(tmp_path):
    doc = load_file(write(tmp_path, "faq.yaml", "- question: 什么是 VPC？\n  answer: 私有网络。\n"))
    assert doc.blocks[0].question == "什么是 VPC？"
    doc = load_file(write(tmp_path, "faq.csv", "问题,答案\n怎么扩容？,在控制台扩容。\n"))
    assert doc.blocks[0].kind == "faq" and doc.blocks[0].text == "在控制台扩容。"


@pytest.mark.parametrize("name, content, message", [
    ("broken.pdf", b"%PDF-1.4 not really", "PDF"),
    ("broken.docx", b"PK\x03\x04 not a zip", "DOCX"),
    ("broken.xlsx", b"nonsense", "Excel"),
    ("bad.jsonl", b'{"question": "a", "answer": "b"}\n{oops\n', "JSON"),
    ("latin.md", "caf\xe9".encode("latin-1"), "UTF-8"),
    ("image.png", b"\x89PNG", "不支持"),
    ("empty.jsonl", b'{"foo": 1}\n', "问答对"),
])
def test_bad_files_raise_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(KnowledgeError, match=message):
        load_file(path)


def test_generic_faq_file_name_gets_a_readable_title(tmp_path):
    doc = load_file(write(tmp_path, "faq.jsonl", json.dumps({"question": "端口？", "answer": "22"}, ensure_ascii=False)))
    assert doc.title == "常见问题"
