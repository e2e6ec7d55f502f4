# Smart Copilot, CPU image: the app (`serve`), and the Chroma server of compose.yaml (`chroma run`
# ships with the chromadb package inside). No model weights inside: the default embedder's small
# quantized weights come with its pip package; generative models are served by vLLM (compose's gpu
# profile) or mounted. Build: docker build -t smart-copilot .   Run: see README "Containers".
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False \
    SMART_COPILOT__DATA_DIR=/data

# CJK fonts: exported and rendered answers draw Chinese text
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 copilot && mkdir -p /data /chroma && chown copilot /data /chroma
WORKDIR /app
COPY --chown=copilot . /app
USER copilot

# The README's set-up command, as written there.
RUN python3 -m venv .venv && .venv/bin/pip install -e ".[dev]"

ENV PATH=/app/.venv/bin:$PATH
VOLUME ["/data"]
EXPOSE 7860

HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=5 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:7860/healthz', timeout=4).status != 200)"

# Listening beyond loopback requires a login: mount a file of `user:hash` lines (serve --add-user)
# and point SMART_COPILOT__APP__AUTH_FILE at it (compose.yaml does).
CMD ["smart-copilot", "serve", "--host", "0.0.0.0", "--port", "7860"]
