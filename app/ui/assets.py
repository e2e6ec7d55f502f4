"""Look and behaviour passed to `launch()` (Gradio 6 takes css/head/theme there, not in Blocks)."""

from __future__ import annotations

CSS = """
#sc-progress { min-height: 1.6em; font-size: 0.92em; color: var(--body-text-color-subdued); }
.sc-pending { opacity: 0.45; }
.sc-current { color: var(--color-accent); }
.sc-chunk-kind { opacity: 0.6; }
.sc-badge { opacity: 0.75; }
.sc-route { background: var(--color-accent-soft); border-radius: 4px; padding: 0 4px; font-weight: normal; }
#sc-sources { max-height: 720px; overflow-y: auto; }
.sc-sources-title { font-weight: 600; margin-bottom: 6px; }
.sc-sources-empty { opacity: 0.6; font-size: 0.9em; }
.sc-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 10px; margin: 6px 0;
             background: var(--block-background-fill); transition: box-shadow 0.3s; }
.sc-source summary { cursor: pointer; }
.sc-source .sc-path { font-size: 0.82em; opacity: 0.8; margin: 4px 0; }
.sc-source .sc-snippet { font-size: 0.9em; line-height: 1.55; }
.sc-source mark { background: #ffe58f; color: inherit; padding: 0 1px; }
.sc-score { float: right; font-size: 0.8em; opacity: 0.7; }
.sc-flash { box-shadow: 0 0 0 3px var(--color-accent); }
.sc-runbook-head { font-weight: 600; margin: 6px 0; }
.sc-card { border: 1px solid var(--border-color-primary); border-left: 4px solid var(--color-accent);
           border-radius: 8px;
           padding: 8px 12px; margin: 8px 0; background: var(--block-background-fill); }
.sc-card-title { font-weight: 600; margin-bottom: 4px; }
.sc-card.sc-tool.sc-ok { border-left-color: #52c41a; }
.sc-card.sc-tool.sc-error, .sc-card.sc-tool.sc-timeout, .sc-card.sc-tool.sc-refused { border-left-color: #f5222d; }
.sc-card.sc-waiting, .sc-card.sc-approve, .sc-card.sc-tool.sc-finding { border-left-color: #faad14; }
.sc-card.sc-escalate, .sc-card.sc-summary { border-left-color: #722ed1; }
.sc-ok { color: #389e0d; } .sc-bad { color: #cf1322; }
.sc-keydata { font-size: 0.85em; margin: 6px 0; }
.sc-keydata th { text-align: left; padding-right: 12px; opacity: 0.75; }
.sc-raw pre { max-height: 260px; overflow: auto; font-size: 0.8em; }
.sc-hint { font-size: 0.85em; opacity: 0.75; margin-top: 4px; }
"""

# Citation links [n] in answers open and highlight source n in the sources panel; toast titles in Chinese.
HEAD = """
<script>
document.addEventListener('click', function (event) {
  const link = event.target.closest ? event.target.closest('a[href*="#src-"]') : null;
  if (!link) return;
  const id = link.getAttribute('href').split('#').pop();
  const card = document.getElementById(id);
  if (!card) return;
  event.preventDefault();
  event.stopPropagation();
  card.open = true;
  card.scrollIntoView({behavior: 'smooth', block: 'center'});
  card.classList.add('sc-flash');
  setTimeout(function () { card.classList.remove('sc-flash'); }, 1600);
}, true);

// Gradio titles its toasts with the English type name ("Info", "Warning", "Error"); show Chinese ones.
(function () {
  const TITLES = {info: '提示', warning: '注意', error: '出错了', success: '完成'};
  function localize() {
    document.querySelectorAll('.toast-title').forEach(function (el) {
      const kind = Object.keys(TITLES).find(function (k) { return el.classList.contains(k); });
      if (kind && el.textContent.trim() !== TITLES[kind]) el.textContent = TITLES[kind];
    });
  }
  new MutationObserver(localize).observe(document.documentElement, {childList: true, subtree: true});
})();
</script>
"""


def launch_assets() -> dict[str, object]:
    """Keyword arguments for `Blocks.launch` that style the app."""
    import gradio as gr

    return {"css": CSS, "head": HEAD, "theme": gr.themes.Soft(primary_hue="blue")}
