# syntax=docker/dockerfile:1
# examsite: build with `docker compose build`, run with `docker compose up -d` (README: Self-hosting).

# --- build: a virtualenv with examsite's dependencies, and the collected static files ---
FROM python:3.13-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app
RUN python -m venv /opt/venv

# Dependencies first, so editing the code does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .

COPY . .
# Hashed, compressed copies for WhiteNoise, which serves them with far-future cache headers.
# The settings need a key and a host to load with DEBUG off; neither is kept. Files are made
# readable by all (the runtime user included) whatever the umask of the build host.
RUN DEBUG=False SECRET_KEY=build-only-key-for-collectstatic-never-used-to-sign-anything \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input --verbosity 0 \
    && chmod -R a+rX,go-w /app

# --- runtime: the same Python, the virtualenv and the app, run by an unprivileged user ---
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DEBUG=False \
    PORT=8000 \
    STATIC_ROOT=/app/staticfiles

RUN groupadd --system --gid 10001 examsite \
    && useradd --system --uid 10001 --gid examsite --no-create-home --home-dir /app examsite

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
# Only var/ (SQLite, when no DATABASE_URL is given) is writable; the code is not.
RUN mkdir -p /app/var && chown examsite:examsite /app/var

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "examsite.wsgi"]
