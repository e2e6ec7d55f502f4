"""The metrics report: Markdown with PNG charts (matplotlib, Agg) and the JSON results.

`write_report(results, out_dir, comparison)` writes `report.md`, `results.json`,
`metrics.png` (headline metrics per dataset, against the baseline when given) and
`recall.png` (recall@k curves of the retrieval sets). Chart labels are ASCII so no
CJK font is needed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HEADLINE = ("recall@5", "mrr", "answer_citation_precision", "answer_key_facts", "answer_groundedness",
            "guard_accuracy", "refuse_f1", "split_exact_count", "split_similarity", "rewrite_key_terms",
            "rewrite_forbidden_avoided", "dialogue_key_terms", "dialogue_no_leakage", "dialogue_questions_answered",
            "dialogue_replies_taken")


def _num(value: Any) -> str:
    return "–" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))


def metrics_chart(results: dict[str, Any], path: Path, baseline: dict[str, Any] | None = None) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, values, old = [], [], []
    before = (baseline or {}).get("datasets") or {}
    for name, data in results["datasets"].items():
        for metric in HEADLINE:
            if metric in data["metrics"]:
                labels.append(f"{name}: {metric}")
                values.append(data["metrics"][metric])
                old.append(((before.get(name) or {}).get("metrics") or {}).get(metric))
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(labels) + 1.2))
    ys = list(range(len(labels)))
    if baseline:
        ax.barh([y + 0.2 for y in ys], [v or 0 for v in old], height=0.4, color="#bbbbbb", label="baseline")
        ax.barh([y - 0.2 for y in ys], values, height=0.4, color="#3b7dd8", label="current")
        ax.legend(loc="lower right")
    else:
        ax.barh(ys, values, color="#3b7dd8")
    for y, v in zip(ys, values):
        ax.text(min(v, 0.93) + 0.01, y - (0.2 if baseline else 0), f"{v:.2f}", va="center", fontsize=7)
    ax.set_yticks(ys, labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.set_title("Smart Copilot evaluation: headline metrics")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def recall_chart(results: dict[str, Any], path: Path) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curves = {}
    for name, data in results["datasets"].items():
        points = sorted((int(k.split("@")[1]), v) for k, v in data["metrics"].items() if k.startswith("recall@"))
        if points:
            curves[name] = points
    if not curves:
        return None
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for name, points in curves.items():
        ax.plot([k for k, _ in points], [v for _, v in points], marker="o", label=name)
    ax.set_xlabel("k (distinct sources)")
    ax.set_ylabel("recall@k")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title("Retrieval recall@k")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _comparison_lines(comparison: dict[str, Any]) -> list[str]:
    regressions = comparison["regressions"]
    head = (f"**{len(regressions)} 项退化**（容差 {comparison['tolerance']}）：" + "、".join(regressions)
            if regressions else f"无退化（容差 {comparison['tolerance']}）。")
    lines = ["## 与基线对比", "", head, "", "| 指标 | 基线 | 当前 | 变化 | 状态 |", "|---|---:|---:|---:|---|"]
    marks = {"regression": "⚠️ 退化", "improved": "✅ 提升", "same": "持平", "added": "新增", "removed": "移除"}
    for row in comparison["rows"]:
        delta = "–" if row["delta"] is None else f"{row['delta']:+.3f}"
        key = f"**{row['key']}**" if row["status"] == "regression" else row["key"]
        lines.append(f"| {key} | {_num(row['baseline'])} | {_num(row['current'])} | {delta} | {marks[row['status']]} |")
    return lines + [""]


def render_markdown(results: dict[str, Any], comparison: dict[str, Any] | None, charts: list[str]) -> str:
    meta = results.get("meta") or {}
    lines = ["# 评测报告", ""]
    lines += [f"- {key}：{value}" for key, value in meta.items()]
    lines += ["", "## 总览", "", "| 数据集 | 类型 | 条数 | 指标 | 值 |", "|---|---|---:|---|---:|"]
    for name, data in results["datasets"].items():
        for i, (metric, value) in enumerate(data["metrics"].items()):
            head = f"{name} | {data['kind']} | {data['n']}" if i == 0 else " | | "
            lines.append(f"| {head} | {metric} | {_num(value)} |")
    lines.append("")
    lines += [f"![{Path(c).stem}]({Path(c).name})" for c in charts]
    lines.append("")
    if comparison:
        lines += _comparison_lines(comparison)
    for name, data in results["datasets"].items():
        if data.get("by_category"):
            lines += [f"## {name}：按类别", ""]
            keys = list(dict.fromkeys(k for row in data["by_category"].values() for k in row if k != "n"))
            lines += ["| 类别 | 条数 | " + " | ".join(keys) + " |", "|---|---:|" + "---:|" * len(keys)]
            for category, row in data["by_category"].items():
                lines.append(f"| {category} | {row['n']} | " + " | ".join(_num(row.get(k)) for k in keys) + " |")
            lines.append("")
        if data.get("misses"):
            lines += [f"## {name}：未命中示例（最多 {len(data['misses'])} 条）", ""]
            lines += [f"- `{json.dumps(m, ensure_ascii=False)}`" for m in data["misses"]]
            lines.append("")
    return "\n".join(lines)


def write_report(results: dict[str, Any], out_dir: Path | str, comparison: dict[str, Any] | None = None,
                 baseline: dict[str, Any] | None = None) -> dict[str, str]:
    """Write the report files; returns their paths by name."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    charts = [str(metrics_chart(results, out / "metrics.png", baseline))]
    recall = recall_chart(results, out / "recall.png")
    if recall:
        charts.append(str(recall))
    (out / "results.json").write_text(json.dumps({**results, "comparison": comparison}, ensure_ascii=False, indent=2),
                                      encoding="utf-8")
    (out / "report.md").write_text(render_markdown(results, comparison, charts), encoding="utf-8")
    return {"report": str(out / "report.md"), "results": str(out / "results.json"),
            **{Path(c).stem: c for c in charts}}
