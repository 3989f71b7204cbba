"""Colour arithmetic without Qt: WCAG contrast, sRGB -> CIELAB, CIEDE2000 colour difference.

Why here and not a library: the three formulas are ~50 lines (Sharma, Wu & Dalal 2005 for
CIEDE2000; WCAG 2.x for contrast); `colormath`/`colour-science` would add numpy-sized weight to
the executable for them. Colours are (r, g, b) floats in 0..1 (sRGB, D65).
"""

from __future__ import annotations

from math import atan2, cos, degrees, exp, hypot, radians, sin, sqrt

RGB = tuple[float, float, float]


def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance."""
    r, g, b = (_linear(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio, 1..21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(base: RGB, tint: RGB, t: float) -> RGB:
    return tuple(b + (c - b) * t for b, c in zip(base, tint))  # type: ignore[return-value]


def to_lab(rgb: RGB) -> tuple[float, float, float]:
    r, g, b = (_linear(v) for v in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 difference of two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (hypot(a1, b1) + hypot(a2, b2)) / 2
    g = 0.5 * (1 - sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = hypot(a1p, b1), hypot(a2p, b2)
    h1p = degrees(atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = degrees(atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    dhp = 2 * sqrt(c1p * c2p) * sin(radians(dh / 2))
    lbp, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    hsum = h1p + h2p
    if c1p * c2p == 0:
        hbp = hsum
    elif abs(h1p - h2p) <= 180:
        hbp = hsum / 2
    else:
        hbp = (hsum + 360) / 2 if hsum < 360 else (hsum - 360) / 2
    t = (1 - 0.17 * cos(radians(hbp - 30)) + 0.24 * cos(radians(2 * hbp))
         + 0.32 * cos(radians(3 * hbp + 6)) - 0.20 * cos(radians(4 * hbp - 63)))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / sqrt(20 + (lbp - 50) ** 2)
    sc = 1 + 0.045 * cbp
    sh = 1 + 0.015 * cbp * t
    rt = (-2 * sqrt(cbp ** 7 / (cbp ** 7 + 25 ** 7))
          * sin(radians(60 * exp(-(((hbp - 275) / 25) ** 2)))))
    return sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2
                + rt * (dcp / sc) * (dhp / sh))


def delta_e(a: RGB, b: RGB) -> float:
    return delta_e2000(to_lab(a), to_lab(b))


def from_hex(value: str) -> RGB:
    value = value.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
