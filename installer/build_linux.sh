#!/usr/bin/env bash
# Build the Linux bundle (dist/akquise-desktop/) with PyInstaller, then run the
# built binary's --self-test offscreen. Prints the bundle's size and the
# self-test's wall time. Needs the build extra: pip install -e '.[build]'.
#
#   installer/build_linux.sh            # PYTHON=… to choose the interpreter
#   OUT=/tmp/akq installer/build_linux.sh   # where build/ and dist/ go (default: ./build)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
OUT="${OUT:-$ROOT/build}"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

# The package akquise_desktop.resources is the top-level resources/ folder
# (pyproject's package-dir); from a source tree it is reached by a link.
if [ ! -e akquise_desktop/resources ]; then
    ln -s ../resources akquise_desktop/resources
fi

"$PYTHON" tools/translations.py release
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$OUT/dist" --workpath "$OUT/pyinstaller" installer/akquise_desktop.spec

BUNDLE="$OUT/dist/akquise-desktop"
install -Dm644 installer/linux/akquise-desktop.desktop "$BUNDLE/share/applications/akquise-desktop.desktop"
install -Dm644 installer/linux/akquise-desktop.svg "$BUNDLE/share/icons/hicolor/scalable/apps/akquise-desktop.svg"

echo "bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
export QT_QPA_PLATFORM=offscreen AKQUISE_CACHE_DIR="$OUT/cache"
start=$(date +%s%N)
"$BUNDLE/akquise-desktop" --self-test
echo "self-test of the built binary: $(ms "$start") ms"

# A real start of the window (and its end) on a small demo database, twice:
# the first creates the database, the second is a usual start.
db="$(mktemp -d)/start.sqlite3"
start=$(date +%s%N)
AKQUISE_QUIT_AFTER_START=1 "$BUNDLE/akquise-desktop" --db "$db" --demo 50 2>/dev/null
echo "first start (new database, 50 demo records): $(ms "$start") ms"
start=$(date +%s%N)
AKQUISE_QUIT_AFTER_START=1 "$BUNDLE/akquise-desktop" --db "$db" 2>/dev/null
echo "start: $(ms "$start") ms"
