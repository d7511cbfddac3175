#!/usr/bin/env bash
# 安装依赖，（仓库为空时）载入示例数据，启动驾驶舱 — install, load the sample data into an empty store, start.
# Extra arguments go to `streamlit run` (e.g. --server.port 8600). `cnpark serve` is `streamlit run app.py` that builds
# the latest month's caches before the first viewer and after every upload (cnpark/ui/warm.py).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# The PDF brief and slide images embed Noto Sans CJK (Debian's fonts-noto-cjk).
if ! (fc-list 2>/dev/null | grep -q "Noto Sans CJK"); then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      fonts-noto-cjk >/dev/null; } || echo "未能安装中文字体 fonts-noto-cjk：调度会简报（PDF/图片）需要它，请管理员安装。" >&2
fi
.venv/bin/python -m cnpark demo --if-empty
exec .venv/bin/python -m cnpark serve "$@"
