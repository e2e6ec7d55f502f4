"""Small real files built by the tests: PDF (hand-written objects), DOCX, XLSX."""

from __future__ import annotations

from pathlib import Path


def make_pdf(path: Path, lines: list[str], title: str = "") -> Path:
    """A one-page PDF with Helvetica text lines (ASCII), valid xref table."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        ops.append("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    info = f"<< /Title ({title}) >>".encode("latin-1") if title else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("云硬盘扩容指南", 0)
    document.add_heading("在线扩容", 1)
    document.add_paragraph("云硬盘支持在线扩容，扩容后需要在系统内扩展分区和文件系统。")
    document.add_paragraph("下表列出各类型云盘的容量范围：")
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("类型", "容量范围"), ("高性能云盘", "10-32000 GiB"), ("SSD 云盘", "20-32000 GiB")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    document.add_heading("注意事项", 1)
    document.add_paragraph("云盘只能扩容，不能缩容。")
    document.save(str(path))
    return path


def make_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["云服务器实例规格表", None, None])
    sheet.merge_cells("A1:C1")
    sheet.append(["规格", "vCPU", "内存"])
    sheet.append(["s2.small", 1, "2 GiB"])
    sheet.append(["s2.large", 2, "4 GiB"])
    book.save(str(path))
    return path
