"""Tools-layer benchmark: tool call latency against local servers, log analysis throughput,
runbook matching accuracy on held-out phrasings, and one runbook flow end to end.

    python benchmarks/tools_bench.py            # prints the figures (docs/benchmarks.md records a run)

Everything runs on 127.0.0.1 (servers from tests/tools/servers.py); the demo KB is ingested
lexical-only with the hash embedder into a temporary directory.
"""

from __future__ import annotations

import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.tools.servers import HttpServer, closed_port, make_certificate  # noqa: E402
from tools.config import ToolSettings  # noqa: E402
from tools.registry import build_registry  # noqa: E402
from tools.runbooks import RunbookEngine, load_runbooks  # noqa: E402

HELD_OUT = {  # phrasings that appear in no runbook trigger
    "ssh-rdp-cannot-connect": ["xshell 连接服务器一直超时", "远程桌面提示无法连接到远程计算机", "ssh 报 Permission denied (publickey)",
                               "服务器 22 端口连不上", "mstsc 连不上 Windows 实例"],
    "website-502-504": ["负载均衡后面的网站报 504", "域名访问网站出现 502 错误", "网页打不开了 一直转圈",
                        "clb 返回 bad gateway", "用户反馈网站无法访问"],
    "dns-not-resolving": ["改了 A 记录还是解析到旧 IP", "nslookup 查不到我的域名", "curl 提示 Could not resolve host",
                          "域名解析失败怎么办", "cname 配置后不生效"],
    "certificate-problem": ["https 证书到期了", "chrome 提示 NET::ERR_CERT_DATE_INVALID", "证书和域名对不上",
                            "ssl 证书不受信任", "网站显示不安全 证书有问题"],
    "disk-full": ["df -h 显示根分区 100%", "写文件报 No space left on device", "inode 用完了",
                  "磁盘空间不足 删了文件也没释放", "数据盘满了"],
    "cpu-high": ["top 看到 cpu 占用 100%", "服务器 load average 很高", "cpu 突然飙升到百分之百",
                 "t5 实例 cpu 积分用完了很卡", "cpu 使用率居高不下"],
    "mysql-connect-failed": ["java 连接 mysql 报 Can't connect to MySQL server", "mysql 3306 连不上",
                             "数据库连接被拒绝", "应用连接数据库失败 error 2003", "连不上云数据库 mysql"],
    "mysql-too-many-connections": ["mysql 报 1040 错误", "数据库 too many connections", "连接数打满了",
                                   "max_connections 不够用", "连接池把数据库连接数用光了"],
    "cdn-origin-error": ["cdn 加速后网站 502 源站正常", "回源超时怎么办", "cdn 节点回源报错"],
    "memory-oom": ["dmesg 显示 Out of memory", "java 进程被 oom killer 杀了", "内存泄漏导致服务挂掉"],
    "object-storage-403": ["sos 上传返回 403", "存储桶访问 AccessDenied", "签名不匹配 SignatureDoesNotMatch",
                           "对象存储图片 403 Forbidden", "RequestTimeTooSkewed 报错"],
}
OFF_TOPIC = ["怎么开发票", "今天天气怎么样", "你好", "帮我写一首诗", "如何购买云服务器", "实例规格怎么选",
             "数据库备份保留多久", "怎么创建子用户"]


def timed(fn, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tools-bench-") as tmp:  # audit logs, certificates, a demo base
        bench(Path(tmp))


def bench(tmp: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    web = HttpServer({"/": (502, {}, b"502"), "/hop": (301, {"Location": "/ok"}, b""), "/ok": (200, {}, b"ok")})
    tls = HttpServer({"/": (200, {}, b"ok")}, tls=make_certificate(tmp, "expired.test", days_valid=(-30, -1)))
    settings = ToolSettings(allow_targets=["127.0.0.1"], rate_limit_per_minute=0)
    registry = build_registry(settings, tmp / "data")
    port = listener.getsockname()[1]
    calls = {
        "tcp_port_check (open)": (lambda: registry.invoke("tcp_port_check", {"host": "127.0.0.1", "port": port}, "b", "u"), 200),
        "tcp_port_check (refused)": (lambda: registry.invoke("tcp_port_check", {"host": "127.0.0.1", "port": closed_port()}, "b", "u"), 200),
        "http_check (502)": (lambda: registry.invoke("http_check", {"url": web.url("/")}, "b", "u"), 100),
        "http_check (301 -> 200)": (lambda: registry.invoke("http_check", {"url": web.url("/hop")}, "b", "u"), 100),
        "tls_check (expired, 2 handshakes)": (lambda: registry.invoke("tls_check", {"host": "127.0.0.1", "port": tls.port}, "b", "u"), 50),
        "policy refusal (169.254.169.254)": (lambda: registry.invoke("http_check", {"url": "http://169.254.169.254/"}, "b", "u"), 200),
    }
    print("== tool calls through ToolRegistry.invoke (validation, policy, audit write) ==")
    for label, (fn, n) in calls.items():
        median, p95 = timed(fn, n)
        print(f"{label:<36} n={n:<4} median {median:7.2f} ms   p95 {p95:7.2f} ms")

    from knowledge.config import KnowledgeSettings
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    start = time.perf_counter()
    ks = KnowledgeService(KnowledgeSettings(dense="off"), tmp / "kb", create_embedder(EmbedderSettings(backend="hash")))
    ks.ingest([DEMO_DIR], kb="demo")
    print(f"\n(demo KB ingested lexical-only in {time.perf_counter() - start:.1f} s)")
    kb_registry = build_registry(settings, tmp / "data2", knowledge=ks)
    lines = []
    for i in range(10_000):
        lines.append(f"2026-11-20 10:{i // 600 % 60:02d}:{i % 60:02d} INFO request {i} served in {i % 900} ms")
        if i % 250 == 0:
            lines.append(f"2026-11-20 10:00:{i % 60:02d} ERROR 1040 (HY000): Too many connections")
        if i % 777 == 0:
            lines.append("upstream timed out (110: Connection timed out) while reading response header")
    log = "\n".join(lines)
    for attempt in ("first call (loads the tokenizer)", "second call"):
        start = time.perf_counter()
        result = kb_registry.invoke("log_analysis", {"text": log}, "b", "u")
        took = time.perf_counter() - start
        print(f"log_analysis, {attempt}: {len(lines)} lines ({len(log) / 1e6:.2f} MB) in {took:.2f} s -> {result.summary}")

    engine = RunbookEngine(load_runbooks(), kb_registry, knowledge=ks)
    hits = total = 0
    misses = []
    for expected, questions in HELD_OUT.items():
        for q in questions:
            found = engine.match(q)
            total += 1
            if found and found[0] == expected:
                hits += 1
            else:
                misses.append((q, expected, found))
    false_pos = [(q, engine.match(q)) for q in OFF_TOPIC if engine.match(q)]
    median, _ = timed(lambda: engine.match("服务器 CPU 一直 100%"), 200)
    print(f"\n== runbook matching (threshold {engine.threshold}) ==")
    print(f"held-out phrasings: {hits}/{total} matched the right runbook ({100 * hits / total:.0f}%)")
    print(f"off-topic questions matched: {len(false_pos)}/{len(OFF_TOPIC)} {false_pos}")
    print(f"match() median {median:.3f} ms over {len(engine.runbooks)} runbooks")
    for q, expected, found in misses:
        print(f"  miss: {q!r} expected {expected}, got {found}")

    start = time.perf_counter()
    state = engine.start("website-502-504", f"网站 {web.url('/')} 返回 502", "flow", "bench")
    state, _ = engine.advance(state, None)
    for reply in ["127.0.0.1", str(closed_port()), "nginx", "reject", "否"]:
        state, _ = engine.advance(state, reply)
    print(f"\nwebsite-502-504 flow end to end (2 tool calls, 4 cited advices, dry run, summary): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms, status {state.status}")
    web.stop()
    tls.stop()
    listener.close()
    ks.close()


if __name__ == "__main__":
    main()
