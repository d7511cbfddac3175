#!/usr/bin/env bash
# 安装依赖，（仓库为空时）载入示例数据，启动驾驶舱 — install, load the sample data into an empty store, start.
# Extra arguments go to `streamlit run` (e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python -m cnpark demo --if-empty
exec .venv/bin/python -m streamlit run app.py "$@"
