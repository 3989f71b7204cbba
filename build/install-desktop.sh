#!/bin/sh
# Add the built News Annotator to the desktop menu of the current user (Linux, XDG).
#   dist/news-annotator/install-desktop.sh            # the bundle this script sits in
#   build/install-desktop.sh dist/news-annotator      # or name the bundle folder
#   ... --uninstall                                   # remove the menu entry and icons
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bundle=$here
uninstall=0
for arg in "$@"; do
    case $arg in
        --uninstall) uninstall=1 ;;
        *) bundle=$(cd "$arg" && pwd) ;;
    esac
done
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$data/applications
icons=$data/icons/hicolor
if [ "$uninstall" = 1 ]; then
    rm -f "$apps/news-annotator.desktop" "$icons"/*/apps/news-annotator.svg \
          "$icons"/*/apps/news-annotator.png
    echo "removed News Annotator from the menu"
    exit 0
fi
exe=$bundle/news-annotator
[ -x "$exe" ] || { echo "no executable at $exe (run make dist first)" >&2; exit 1; }
desktop=$here/news-annotator.desktop
[ -f "$desktop" ] || desktop=$bundle/news-annotator.desktop
res=$bundle/_internal/resources/icons   # app.svg and app-<size>.png
mkdir -p "$apps"
if [ -f "$res/app.svg" ]; then
    mkdir -p "$icons/scalable/apps"
    cp "$res/app.svg" "$icons/scalable/apps/news-annotator.svg"
fi
for png in "$res"/app-*.png; do
    [ -f "$png" ] || continue
    size=${png##*/app-}; size=${size%.png}
    mkdir -p "$icons/${size}x${size}/apps"
    cp "$png" "$icons/${size}x${size}/apps/news-annotator.png"
done
# Exec and TryExec need the absolute path: the bundle is not on PATH.
sed -e "s|^Exec=.*|Exec=\"$exe\"|" -e "s|^TryExec=.*|TryExec=$exe|" "$desktop" \
    > "$apps/news-annotator.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" || true
echo "News Annotator added to the menu ($apps/news-annotator.desktop)"
