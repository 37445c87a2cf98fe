# syntax=docker/dockerfile:1
#
# DokVault production image. One image, three roles:
#   app        `dokvault run` (default): migrations, then Reflex frontend + backend on port 3000
#   worker     `dramatiq workers.documents --queues documents ...` (see compose.yml)
#   scheduler  `dokvault scheduler`: sends the maintenance jobs on time
#
# Build: docker build -t dokvault .

# --- bun ------------------------------------------------------------------------
# Reflex builds the frontend with bun (or Node >= 22). bun comes from the npm
# registry: its package ships the native binary for the build platform (amd64,
# arm64). The final image needs no Node: bun stands in for `node` in scripts.
FROM node:22-bookworm-slim AS bun
ARG BUN_VERSION=1.4.4
RUN npm install --prefix /opt/bun --no-save --no-audit --no-fund "bun@${BUN_VERSION}" \
 && /opt/bun/node_modules/bun/bin/bun.exe --version

# --- app ------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false \
    REFLEX_DIR=/app/.reflex \
    BUN_INSTALL_CACHE_DIR=/app/.cache/bun \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=/app/.cache/bun-transpiler \
    DOKVAULT_DATA_DIR=/data \
    PORT=3000 \
    BIND_HOST=0.0.0.0

# curl: HEALTHCHECK. fonts-dejavu-core: thumbnails with æ/ø/å. tesseract (+nor): OCR of
# scans. catdoc: legacy Word (.doc). tini: PID 1 that forwards signals and reaps Reflex's
# child processes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        ca-certificates curl fonts-dejavu-core tini tesseract-ocr tesseract-ocr-nor \
        tesseract-ocr-eng catdoc \
 && rm -rf /var/lib/apt/lists/*

COPY --from=bun /opt/bun/node_modules/bun/bin/bun.exe /usr/local/bin/bun

RUN groupadd --system --gid 10001 dokvault \
 && useradd --system --uid 10001 --gid dokvault --home-dir /app --shell /usr/sbin/nologin dokvault \
 && mkdir -p /app /data \
 && chown dokvault:dokvault /app /data \
 && chmod 0700 /data

WORKDIR /app

# Dependencies first, in their own layer: rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN mkdir -p dokvault workers \
 && touch dokvault/__init__.py workers/__init__.py \
 && pip install . \
 && pip uninstall -y dokvault \
 && rm -rf dokvault workers build ./*.egg-info

# Editable install: dokvault.migrations finds alembic.ini and alembic/ next to the
# package (a wheel in site-packages would not have them).
COPY --chown=dokvault:dokvault . .
RUN pip install --no-deps -e . \
 && rm -rf build

USER dokvault

# Install the frontend packages and compile once at build time, so a container
# starts without network access to the npm registry. `reflex run --env prod`
# recompiles at start (fast: packages are in place) so runtime settings such as
# REFLEX_API_URL reach the browser bundle.
RUN reflex export --frontend-only --no-zip --env prod \
 && rm -rf /app/.cache/bun /app/.cache/bun-transpiler

EXPOSE 3000
VOLUME ["/data"]

# /health answers 200 with "ok" or "degraded" as long as the server runs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD curl -fsS http://localhost:3000/health || exit 1

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["dokvault", "run"]
