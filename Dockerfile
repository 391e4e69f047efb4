# The crawler / scheduler image: Debian-based Python with Tor.
# Docker cannot run on the development machines of this project: this file is checked offline by the tests.
FROM python:3.11-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends tor make gcc g++ libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock pyproject.toml README.md ./
RUN python -m pip install --no-cache-dir -r requirements.lock
COPY . .
# compiles the extraction hot path with mypyc, and nlp/docread.pyx with Cython (setup.py), against the pinned mypy,
# Cython and spaCy installed above
RUN python -m pip install --no-cache-dir --no-build-isolation --no-deps -e . \
    && useradd --create-home --uid 10001 npswatch \
    && mkdir -p /data && chown npswatch /data
USER npswatch
ENV NPSWATCH_DATA_DIR=/data
VOLUME ["/data"]
ENTRYPOINT ["npswatch"]
CMD ["sources", "list"]
