#!/usr/bin/env bash
# Build AkquiseDesktop.app and pack it into a .dmg (macOS; needs the build
# extra: pip install -e '.[build]').
#
#   installer/macos/make_dmg.sh         # -> dist/AkquiseDesktop-<version>.dmg
#
# The URL scheme akquise:// is registered by the bundle's Info.plist
# (CFBundleURLTypes) as soon as the app is in /Applications and was opened once.
# Signing and notarisation (codesign, notarytool) are left to the release
# machine: set CODESIGN_ID to sign the .app before packing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
[ -e akquise_desktop/resources ] || ln -s ../resources akquise_desktop/resources

"$PYTHON" tools/translations.py release
"$PYTHON" -m PyInstaller --noconfirm --clean installer/akquise_desktop.spec
APP="dist/AkquiseDesktop.app"
VERSION="$("$PYTHON" -c 'import akquise_desktop; print(akquise_desktop.__version__)')"

# The scheme must be in the built Info.plist.
/usr/libexec/PlistBuddy -c "Print :CFBundleURLTypes:0:CFBundleURLSchemes:0" \
    "$APP/Contents/Info.plist" | grep -qx akquise

if [ -n "${CODESIGN_ID:-}" ]; then
    codesign --deep --force --options runtime --sign "$CODESIGN_ID" "$APP"
fi

"$APP/Contents/MacOS/akquise-desktop" --self-test

STAGE="$(mktemp -d)"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG="dist/AkquiseDesktop-$VERSION.dmg"
rm -f "$DMG"
hdiutil create -volname "AkquiseDesktop $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
rm -rf "$STAGE"
echo "$DMG ($(du -h "$DMG" | cut -f1))"
