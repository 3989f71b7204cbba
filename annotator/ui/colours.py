"""Label colours made readable on the current palette (light or dark).

Every label gets, for one palette:
* `line`: its schema colour, darkened (light theme) or lightened (dark theme) until it stands
  3:1 against the base colour (WCAG non-text contrast): underlines, margin bars, tags, frames;
* `fill`: the schema colour mixed into the base until the text colour keeps 4.5:1 on it (WCAG
  AA): accepted short spans;
* `tint`: a much lighter mix, for suggestions;
* `on_line`: black or white, whichever reads better on the line colour (text of a solid tag);
* `muted` (one for all labels): the text colour faded towards the base, but no further than
  4.5:1 against it: rejected words and tags are struck through, yet still words to read.

The schema colours are chosen so that every two labels differ by CIEDE2000 >= LINE_DELTA_E in
`line` and >= FILL_DELTA_E in `fill`, in both palettes (tests/ui/test_colours.py, which checks
the other thresholds below too).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from annotator.ui import colour_math as cm

MIN_CONTRAST = 4.5  # text on a fill (WCAG AA)
LINE_CONTRAST = 3.0  # lines and tags against the base (WCAG 1.4.11)
# Label pairs must differ at least this much (CIEDE2000). Tableau 10 manages 18 with ten
# colours, ColorBrewer Paired 13.8 with twelve; lines carry a label's identity in thin strokes
# and small tags, where differences look smaller than on patches, so they get the higher bar.
LINE_DELTA_E = 20.0
FILL_DELTA_E = 17.0
FILL_BASE_DELTA_E = 17.0  # a fill stands out from the page (CUE at 14.7 hardly showed on dark)
STATUS_DELTA_E = 8.0  # an accepted fill differs from the same label's suggestion tint
TINT_BASE_DELTA_E = 5.0  # a suggestion's tint is faint but there
FILL_MIX = {False: 0.50, True: 0.60}  # by dark: how much label colour goes into a fill
TINT_MIX = {False: 0.14, True: 0.20}
MUTED_MIX = 0.45  # how much text colour goes into `muted`, at least (more if needed for 4.5:1)


def _rgb(c: QColor) -> cm.RGB:
    return (c.redF(), c.greenF(), c.blueF())


def _qcolor(rgb: cm.RGB) -> QColor:
    return QColor.fromRgbF(*(max(0.0, min(1.0, v)) for v in rgb))


def luminance(c: QColor) -> float:
    return cm.luminance(_rgb(c))


def contrast(a: QColor, b: QColor) -> float:
    return cm.contrast(_rgb(a), _rgb(b))


def delta_e(a: QColor, b: QColor) -> float:
    return cm.delta_e(_rgb(a), _rgb(b))


def mix(base: QColor, tint: QColor, t: float) -> QColor:
    return _qcolor(cm.mix(_rgb(base), _rgb(tint), t))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def readable_mix(base: cm.RGB, text: cm.RGB, colour: cm.RGB, t: float) -> cm.RGB:
    """base mixed with `t` of colour, less if needed for 4.5:1 against the text."""
    while t > 0.05:
        c = cm.mix(base, colour, t)
        if cm.contrast(c, text) >= MIN_CONTRAST:
            return c
        t -= 0.02
    return cm.mix(base, colour, 0.05)


def readable_fade(base: cm.RGB, text: cm.RGB, t: float) -> cm.RGB:
    """base mixed with `t` of the text colour, more if needed for 4.5:1 against the base."""
    while t < 1.0 and cm.contrast(cm.mix(base, text, t), base) < MIN_CONTRAST:
        t += 0.02
    return cm.mix(base, text, min(t, 1.0))


def line_colour(base: cm.RGB, colour: cm.RGB, dark: bool) -> cm.RGB:
    """The colour itself, moved towards white (dark theme) or black (light) in small steps
    until it stands 3:1 against the base."""
    c = colour
    towards = (1.0, 1.0, 1.0) if dark else (0.0, 0.0, 0.0)
    for _ in range(40):
        if cm.contrast(c, base) >= LINE_CONTRAST:
            break
        c = cm.mix(c, towards, 0.08)
    return c


class LabelColours:
    """Colours of every label for one palette."""

    def __init__(self, palette: QPalette, label_colours: dict[str, str]):
        self.dark = is_dark(palette)
        self.base = palette.color(QPalette.ColorRole.Base)
        self.text = palette.color(QPalette.ColorRole.Text)
        base, text = _rgb(self.base), _rgb(self.text)
        self.muted = _qcolor(readable_fade(base, text, MUTED_MIX))
        self._fill: dict[str, QColor] = {}
        self._tint: dict[str, QColor] = {}
        self._line: dict[str, QColor] = {}
        self._on_line: dict[str, QColor] = {}
        for name, hex_colour in label_colours.items():
            colour = _rgb(QColor(hex_colour))
            self._fill[name] = _qcolor(readable_mix(base, text, colour, FILL_MIX[self.dark]))
            self._tint[name] = _qcolor(readable_mix(base, text, colour, TINT_MIX[self.dark]))
            line = line_colour(base, colour, self.dark)
            self._line[name] = _qcolor(line)
            black, white = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
            self._on_line[name] = QColor("#000000") if cm.contrast(line, black) >= \
                cm.contrast(line, white) else QColor("#ffffff")

    @property
    def labels(self) -> list[str]:
        return list(self._fill)

    def tint_of(self, colour: QColor) -> QColor:
        return _qcolor(readable_mix(_rgb(self.base), _rgb(self.text), _rgb(colour),
                                    TINT_MIX[self.dark]))

    def fill(self, label: str) -> QColor:
        return self._fill.get(label, self.muted)

    def tint(self, label: str) -> QColor:
        return self._tint.get(label, self.base)

    def line(self, label: str) -> QColor:
        return self._line.get(label, self.muted)

    def on_line(self, label: str) -> QColor:
        return self._on_line.get(label, self.text)
