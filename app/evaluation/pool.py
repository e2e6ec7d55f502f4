"""Which driver runs a scenario: one shared copilot, or one built for its settings overrides.

In-process, scenarios without overrides share one wired Copilot (built once: the
expensive part); `graph:`-only overrides reuse its backends with other graph settings;
other overrides build a copilot from the merged settings (cached per distinct override).
Only the shared copilot embeds in the background (dense "background"): the others, on the same
data directory, are built without background work, so one base is not embedded by one worker per
override; scenarios run once its background embedding is done (`wait_for_vectors`: answers differ
while a base is half embedded). Against a server, overrides and a `kb` cannot be applied, so such scenarios are skipped.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, Callable

from pydantic import ValidationError

from app.evaluation.drivers import Driver, InProcessDriver, ServerDriver
from app.evaluation.errors import EvalError
from app.evaluation.scenario import Scenario
from app.settings import Settings


def deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in overrides.items():
        out[key] = deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def merged_settings(settings: Settings, overrides: dict[str, Any], scenario: str) -> Settings:
    try:
        return Settings.model_validate(deep_merge(settings.model_dump(), overrides))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise EvalError(f"场景 {scenario} 的 settings 无效：字段 {field}：{err['msg']}") from None


def wait_for_vectors(copilot: Any, note: Callable[[str], None] | None = None) -> None:
    """Scenarios are judged on complete vectors: while a base is half embedded (the default embedder
    embeds in the background after the first start) a turn ranks by whatever vectors exist, so its
    answer depends on how far the embedding got. Waits for the background embedding, saying so."""
    knowledge = copilot.context.knowledge
    wait = getattr(knowledge, "wait_dense", None)
    jobs = getattr(knowledge, "jobs", None)
    if wait is None:
        return  # a knowledge port without background work
    # the job board lists a worker from the moment it is started (knowledge/vectors.py)
    running = [j for j in (jobs() if jobs else []) if j.get("running")]
    left = [f"{j['kb']}（{j.get('done', 0)}/{j.get('total', '?')}）" for j in running]
    if left and note:
        note(f"等待知识库向量嵌入完成后再运行场景：{'、'.join(left)}")
    wait()


class InProcessPool:
    """Drivers over copilots built in this process; `build(settings, background=...)` is app.wiring.build_copilot."""

    def __init__(self, settings: Settings, build: Callable[..., Any], copilot: Any = None,
                 note: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.build = build
        self.note = note
        self._shared = copilot
        self._cache: dict[str, InProcessDriver] = {}

    @property
    def shared(self) -> Any:
        if self._shared is None:
            self._shared = self.build(self.settings)
            wait_for_vectors(self._shared, self.note)
        return self._shared

    def __call__(self, scenario: Scenario) -> Driver | str:
        if not scenario.settings:
            return self._cache.setdefault("", InProcessDriver(self.shared))
        key = json.dumps(scenario.settings, sort_keys=True, ensure_ascii=False)
        if key not in self._cache:
            self._cache[key] = InProcessDriver(self._copilot_for(scenario))
        return self._cache[key]

    def _copilot_for(self, scenario: Scenario) -> Any:
        settings = merged_settings(self.settings, scenario.settings, scenario.name)
        if set(scenario.settings) == {"graph"}:
            from graph.service import Copilot

            base = self.shared
            return Copilot(replace(base.context, settings=settings.graph), info=base.info)
        return self.build(settings, background=False)


class ServerPool:
    """One ServerDriver for every scenario that needs nothing the server cannot change."""

    def __init__(self, driver: ServerDriver) -> None:
        self.driver = driver

    def __call__(self, scenario: Scenario) -> Driver | str:
        if scenario.settings:
            return "场景带有 settings 覆盖，只能在进程内运行"
        if scenario.kb:
            return "场景指定了知识库（kb），服务器 API 使用服务器的默认知识库"
        return self.driver
