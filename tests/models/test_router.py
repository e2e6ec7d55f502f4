"""The adapter router: rules, weights, fallbacks, reasons."""

from __future__ import annotations

from models.config import ModelSettings
from models.router import AdapterRouter


def router(rules=None, available=("ecs", "db"), **extra) -> AdapterRouter:
    settings = ModelSettings.model_validate({"router": {"rules": rules or {}, **extra}})
    return AdapterRouter(settings, list(available))


def test_off_domain_goes_to_base():
    choice = router({"ecs": "ecs"}).choose("今天天气如何", "ecs", in_domain=False)
    assert choice.is_base and "off-domain" in choice.reason


def test_rule_picks_adapter():
    choice = router({"云服务器": "ecs"}).choose("SSH 登录失败", "云服务器", in_domain=True)
    assert choice.name == "ecs" and not choice.is_base and "云服务器" in choice.reason


def test_missing_adapter_falls_back_with_reason():
    choice = router({"oss": "oss"}).choose("上传 403", "oss", in_domain=True)
    assert choice.is_base and "not available" in choice.reason and "oss" in choice.reason


def test_weighted_rule_drops_zero_and_missing():
    choice = router({"mix": {"ecs": 0.7, "db": 0.0, "oss": 0.3}}).choose("q", "mix", in_domain=True)
    assert choice.weights == {"ecs": 0.7} and "oss" in choice.reason and not choice.is_base


def test_weighted_rule_with_nothing_usable_is_base():
    choice = router({"mix": {"ecs": 0.0, "oss": 1.0}}).choose("q", "mix", in_domain=True)
    assert choice.is_base and "fallback" in choice.reason


def test_no_rule_uses_same_name_adapter_then_default_then_base():
    assert router().choose("q", "DB", in_domain=True).name == "db"
    assert router(default="ecs").choose("q", "network", in_domain=True).name == "ecs"
    choice = router().choose("q", None, in_domain=True)
    assert choice.is_base and "no rule" in choice.reason


def test_disabled_router_always_base():
    choice = router({"ecs": "ecs"}, enabled=False).choose("q", "ecs", in_domain=True)
    assert choice.is_base and "disabled" in choice.reason


def test_no_rule_matches_the_domain_declared_in_meta():
    settings = ModelSettings()
    router = AdapterRouter(settings, ["ecs-v2", "db"], domains={"ecs-v2": "云服务器", "db": "云数据库", "gone": "x"})
    choice = router.choose("SSH 登录失败", "云服务器", in_domain=True)
    assert choice.name == "ecs-v2" and "meta.json" in choice.reason
    assert router.choose("q", "x", in_domain=True).is_base


def test_for_backend_reads_adapters_and_domains_from_describe():
    from models.llm.scripted import ScriptedLLM

    class WithAdapters(ScriptedLLM):
        def describe(self) -> dict:
            info = super().describe()
            info["adapters"] = ["ecs"]
            info["adapter_info"] = [{"name": "ecs", "domain": "demo"}]
            return info

    router = AdapterRouter.for_backend(ModelSettings(), WithAdapters(["x"]))
    assert router.choose("q", "demo", in_domain=True).name == "ecs"
    assert AdapterRouter.for_backend(ModelSettings(), ScriptedLLM(["x"])).available == []


def test_investigations_go_to_the_tool_trained_adapter():
    class Backend:
        def describe(self):
            return {"adapters": ["ecs", "agent"], "adapter_info": [
                {"name": "ecs", "domain": "demo"}, {"name": "agent", "domain": "demo", "tool_calling": True}]}

    settings = ModelSettings.model_validate({"router": {"rules": {"demo": "ecs"}}})
    found = AdapterRouter.for_backend(settings, Backend())  # type: ignore[arg-type]
    assert found.choose("SSH 连不上", "demo", True).name == "ecs"
    agent = found.choose_agent("SSH 连不上", "demo")
    assert agent.name == "agent" and "tool-use" in agent.reason
    assert router(agent="db").choose_agent("q", "demo").name == "db"
    assert router(agent="oss").choose_agent("q", "demo").is_base  # named but missing: base, with the reason
    plain = router({"demo": "ecs"}).choose_agent("q", "demo")
    assert plain.name == "ecs" and "no tool-trained adapter" in plain.reason
    assert router({"demo": "ecs"}, enabled=False).choose_agent("q", "demo").is_base
