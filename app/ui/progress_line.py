"""The progress line under the chat: the stages of the running turn, always in Stage order.

`ProgressLine` follows the turn's progress/token events (stage ids of `graph.progress.Stage`)
and renders `✓ 理解问题 → ▶ 检索… → 生成 → 核验`; token events leave it as it is. Stages are listed in `Stage` order; a
stage is shown only when it ran or may still run: the knowledge stages are pending while
the turn may answer from knowledge, the tools stage appears only once a tool step runs,
and in the finished line only when a tool really ran. Pure, no Gradio: tested directly.
"""

from __future__ import annotations

from typing import Any

from graph.progress import Stage

from app.ui.icons import CURRENT, DONE

ORDER = list(Stage)
KNOWLEDGE = (Stage.RETRIEVE, Stage.GENERATE, Stage.VERIFY)


def _stage(value: Any) -> Stage | None:
    try:
        return Stage(str(value))
    except ValueError:
        return None


class ProgressLine:
    """Progress of one turn; feed it events, ask it for the Markdown line."""

    def __init__(self) -> None:
        self.current: Stage | None = Stage.UNDERSTAND
        self.seen: list[Stage] = []
        self.section = 0

    def update(self, event: dict[str, Any]) -> None:
        """A progress event (`stage` id, optional `section`); other events (tokens) do not move the line:
        a runbook step streams its card text as tokens without generating anything."""
        stage = _stage(event.get("stage")) if event.get("type") == "progress" else None
        if stage is None:
            return
        section = event.get("section")
        if isinstance(section, int):
            self.section = section
        if stage == self.current:
            return
        if self.current is not None and self.current not in self.seen:
            self.seen.append(self.current)
        self.current = stage

    def _shown(self, finished: bool) -> list[Stage]:
        ran = set(self.seen) | ({self.current} if self.current else set())
        maybe_knowledge = not finished and (Stage.TOOLS not in ran or bool(ran & set(KNOWLEDGE)))
        return [s for s in ORDER if s in ran or (maybe_knowledge and s in KNOWLEDGE)]

    def markdown(self) -> str:
        """The line while the turn runs."""
        current = self.current
        parts = []
        for stage in self._shown(finished=False):
            if stage == current:
                parts.append(f"<span class='sc-current'>{CURRENT} **{stage.label}…**</span>")
            elif stage in self.seen and current is not None and (
                    stage == Stage.TOOLS or ORDER.index(stage) < ORDER.index(current)):
                parts.append(f"{DONE} {stage.label}")
            else:
                parts.append(f"<span class='sc-pending'>{stage.label}</span>")
        where = f"（第 {self.section + 1} 个问题）" if self.section > 0 else ""
        return f"{' → '.join(parts)} {where}".strip()

    def finished(self, result: dict[str, Any] | None) -> str:
        """The line after the turn: the stages it went through; 工具 only when a tool ran."""
        if self.current is not None and self.current not in self.seen:
            self.seen.append(self.current)
        self.current = None
        tool_ran = any(o.get("kind") == "tool" for o in ((result or {}).get("runbook") or {}).get("outputs") or [])
        stages = [s for s in self._shown(finished=True) if s != Stage.TOOLS or tool_ran]
        return f"{' → '.join(f'{DONE} {s.label}' for s in stages)} · 完成"
