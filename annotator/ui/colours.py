"""Label colours made readable on the current palette (light or dark).

A label's schema colour is mixed with the view's base colour; the mix is weakened until the
palette's text colour keeps a contrast ratio of at least 4.5:1 (WCAG AA) on it.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

MIN_CONTRAST = 4.5


def luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(base: QColor, tint: QColor, t: float) -> QColor:
    return QColor.fromRgbF(base.redF() + (tint.redF() - base.redF()) * t,
                           base.greenF() + (tint.greenF() - base.greenF()) * t,
                           base.blueF() + (tint.blueF() - base.blueF()) * t)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class LabelColours:
    """Colours of every label for one palette: fill (accepted), tint (suggested), line."""

    def __init__(self, palette: QPalette, label_colours: dict[str, str]):
        self.dark = is_dark(palette)
        self.base = palette.color(QPalette.ColorRole.Base)
        self.text = palette.color(QPalette.ColorRole.Text)
        self.muted = mix(self.base, self.text, 0.45)
        self._fill: dict[str, QColor] = {}
        self._tint: dict[str, QColor] = {}
        self._line: dict[str, QColor] = {}
        for name, hex_colour in label_colours.items():
            colour = QColor(hex_colour)
            self._fill[name] = self.fill_of(colour)
            self._tint[name] = self.tint_of(colour)
            self._line[name] = self._line_colour(colour)

    def _readable_mix(self, colour: QColor, t: float) -> QColor:
        while t > 0.05:
            c = mix(self.base, colour, t)
            if contrast(c, self.text) >= MIN_CONTRAST:
                return c
            t -= 0.05
        return mix(self.base, colour, 0.05)

    def _line_colour(self, colour: QColor) -> QColor:
        """The label colour itself, darkened (light theme) or lightened (dark theme) until it
        stands out from the base colour (3:1, enough for lines and frames)."""
        c = QColor(colour)
        for _ in range(12):
            if contrast(c, self.base) >= 3.0:
                break
            c = c.lighter(115) if self.dark else c.darker(115)
        return c

    def fill_of(self, colour: QColor) -> QColor:
        return self._readable_mix(colour, 0.50 if self.dark else 0.40)

    def tint_of(self, colour: QColor) -> QColor:
        return self._readable_mix(colour, 0.16 if self.dark else 0.12)

    def fill(self, label: str) -> QColor:
        return self._fill.get(label, self.muted)

    def tint(self, label: str) -> QColor:
        return self._tint.get(label, self.base)

    def line(self, label: str) -> QColor:
        return self._line.get(label, self.muted)
