"""The label palette on the light and the dark palette: distinct hues (CIEDE2000), readable text
(WCAG contrast), and the colour arithmetic itself against published reference values."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtGui import QPalette

from annotator.app import dark_palette
from annotator.schema import load_schema
from annotator.ui import colour_math as cm
from annotator.ui import colours as col
from annotator.ui.colours import LabelColours, contrast, delta_e

# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
# supplementary test data": pairs 1, 7, 13, 17, 19, 25, 34 of their table.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize("lab1,lab2,expected", SHARMA)
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert cm.delta_e2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert cm.delta_e2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_srgb_to_lab_and_wcag_contrast_reference_points():
    assert cm.to_lab((1.0, 1.0, 1.0)) == pytest.approx((100.0, 0.0, 0.0), abs=1e-3)
    assert cm.to_lab(cm.from_hex("#ff0000")) == pytest.approx((53.2408, 80.0925, 67.2032),
                                                              abs=1e-3)
    assert cm.contrast((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)) == pytest.approx(21.0)
    assert cm.contrast(cm.from_hex("#777777"), (1.0, 1.0, 1.0)) == pytest.approx(4.48, abs=0.01)


@pytest.fixture(params=["light", "dark"])
def colours(request, qapp) -> LabelColours:
    pal = dark_palette() if request.param == "dark" else qapp.style().standardPalette()
    schema = load_schema()
    c = LabelColours(pal, {lab.name: lab.colour for lab in schema.labels})
    assert c.dark == (request.param == "dark")
    assert c.base == pal.color(QPalette.ColorRole.Base)
    return c


def _closest(colours: LabelColours, kind: str) -> tuple[float, str, str]:
    get = getattr(colours, kind)
    return min((delta_e(get(a), get(b)), a, b) for a, b in combinations(colours.labels, 2))


def test_every_two_labels_have_clearly_different_lines_and_tags(colours):
    """Lines, bars and tags carry a label's identity in thin strokes and small chips."""
    assert len(colours.labels) == 12
    value, a, b = _closest(colours, "line")
    assert value >= col.LINE_DELTA_E, (a, b, value)


def test_every_two_labels_have_clearly_different_fills(colours):
    value, a, b = _closest(colours, "fill")
    assert value >= col.FILL_DELTA_E, (a, b, value)


def test_fills_stand_out_and_differ_from_suggestions(colours):
    for name in colours.labels:
        fill, tint = colours.fill(name), colours.tint(name)
        assert delta_e(fill, colours.base) >= col.FILL_BASE_DELTA_E, name
        assert delta_e(fill, tint) >= col.STATUS_DELTA_E, name
        assert delta_e(tint, colours.base) >= col.TINT_BASE_DELTA_E, name


def test_text_stays_readable_on_every_colour(colours):
    """WCAG 2.x AA (4.5:1) for every pair of text and the colour it is drawn on: words on an
    accepted fill or a suggestion's tint, a solid tag's text, a rejected (muted) word or tag on
    the page; 3:1 for lines against the page."""
    assert contrast(colours.muted, colours.base) >= 4.5  # struck-through rejected words
    for name in colours.labels:
        assert contrast(colours.fill(name), colours.text) >= 4.5, name
        assert contrast(colours.tint(name), colours.text) >= 4.5, name
        assert contrast(colours.line(name), colours.on_line(name)) >= 4.5, name  # a solid tag
        assert contrast(colours.line(name), colours.base) >= 3.0, name
