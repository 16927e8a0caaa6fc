# VPN Lab app server. One container serves a room; for more, run several behind a load balancer with
# sticky sessions and point them all at one PostgreSQL (README, "Serving a class").
#
#   docker build -t vpn-lab .
#   docker run -p 8501:8501 -e VPNLAB_DATABASE_URL=postgresql://vpnlab:PASSWORD@db:5432/vpnlab vpn-lab
#
# Without VPNLAB_DATABASE_URL the container keeps an SQLite file in /data (mount a volume there).
# BASE: any image with Python 3.11+ and pip on PATH (the official one by default; a mirror or a locally
# built image where Docker Hub cannot be reached: README, "Serving a class").
ARG BASE=python:3.11-slim
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    XDG_DATA_HOME=/data

RUN useradd --create-home --uid 10001 vpnlab && mkdir -p /data && chown vpnlab /data
WORKDIR /app
COPY pyproject.toml README.md LICENSE constraints.txt ./
COPY lab ./lab
COPY lessons ./lessons
COPY datasets ./datasets
COPY .streamlit ./.streamlit
# Editable install: the lessons and datasets are read from /app next to the package. The dependencies are the
# versions the test suite passed with (constraints.txt), not whatever is newest on the day of the build.
RUN pip install -c constraints.txt -e . && chown -R vpnlab /app
USER vpnlab
VOLUME ["/data"]
EXPOSE 8501
# Inside a container the server must listen on all interfaces; publish the port only where you mean to.
# `db upgrade` creates or migrates the database first (replicas starting together take turns).
CMD ["sh", "-c", "vpn-lab db upgrade && exec vpn-lab run --server.address 0.0.0.0 --server.port 8501 --server.headless true --browser.gatherUsageStats false"]
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
