#!/usr/bin/env bash
# 安装依赖并运行全部测试 — install everything the tests need, then run every test.
# Used as is by CI (.ci/run). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# The browser tests drive Debian's chromium; without CJK fonts every Chinese character is a box.
# The report's render test lays the .docx out with LibreOffice (writer: PDF; draw: its PNG export filter) and reads the
# PDF's faces and lines with poppler-utils (pdffonts, pdftotext, pdftoppm); tests/test_office_files.py has LibreOffice
# Calc write the .xls/.ods it uploads, and the exports' tests open the meeting pack's .xlsx in Calc (calc).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ] || ! (fc-list 2>/dev/null | grep -q "Noto Sans CJK") \
   || [ ! -x /usr/bin/soffice ] || [ ! -e /usr/lib/libreoffice/program/libgraphicfilterlo.so ] \
   || [ ! -e /usr/lib/libreoffice/program/libscfiltlo.so ] || [ ! -x /usr/bin/pdffonts ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk nginx \
    libreoffice-writer-nogui libreoffice-draw-nogui libreoffice-calc-nogui poppler-utils >/dev/null
fi

.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
