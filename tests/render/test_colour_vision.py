"""The map's colours stay apart for people with colour-vision deficiencies (render.symbology).

Each colour is simulated as seen with protanopia, deuteranopia and tritanopia (Machado,
Oliveira and Fernandes 2009, severity 1.0, applied to linear sRGB) and compared in CIELAB
(CIE76 ΔE; about 2.3 is just noticeable). Province fills are compared as drawn: the shading
colour at ``SHADING_OPACITY`` over plain land.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from render import symbology as sym

#: Machado et al. (2009), severity 1.0, for linear RGB.
VISIONS = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}  # fmt: skip
_SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                         [0.0193, 0.1192, 0.9505]])  # fmt: skip
_D65 = np.array([0.95047, 1.0, 1.08883])
#: Thresholds (CIE76 ΔE): event types are told apart at a glance, the sea from any land
#: fill, and neighbouring shading classes (and the first class from plain land) step by step.
TYPES_APART = 10.0
SEA_APART = 6.0
CLASSES_APART = 5.0
DRAWN_TYPES = ("forced_return", "detention", "policy", "diplomatic")


def linear(colour: str) -> np.ndarray:
    """Return ``#rrggbb`` as linear RGB in 0..1."""
    c = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def over(colour: str, opacity: float, under: str) -> np.ndarray:
    """Return ``colour`` at ``opacity`` over ``under`` (linear RGB)."""
    return opacity * linear(colour) + (1 - opacity) * linear(under)


def lab(rgb: np.ndarray) -> np.ndarray:
    """Return CIELAB (D65) of linear RGB."""
    t = _SRGB_TO_XYZ @ np.clip(rgb, 0, 1) / _D65
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: np.ndarray, b: np.ndarray, vision: str) -> float:
    """Return the CIE76 difference of two linear RGB colours as seen with ``vision``."""
    m = VISIONS[vision]
    return float(np.linalg.norm(lab(m @ a) - lab(m @ b)))


def province_fills() -> list[np.ndarray]:
    """Return the shading classes as drawn over plain land, lightest first."""
    return [over(c, sym.SHADING_OPACITY, sym.LAND_COLOUR) for c in sym.SHADING_COLOURS]


@pytest.mark.parametrize("vision", VISIONS)
class TestColourVision:
    def test_event_types_are_told_apart(self, vision):
        colours = [linear(sym.TYPE_COLOURS[t]) for t in DRAWN_TYPES]
        for a, b in itertools.combinations(colours, 2):
            assert delta_e(a, b, vision) >= TYPES_APART

    def test_no_land_fill_reads_as_sea(self, vision):
        sea = linear(sym.WATER_COLOUR)
        land = [linear(sym.LAND_COLOUR), linear(sym.OTHER_LAND_COLOUR), *province_fills()]
        for fill in land:
            assert delta_e(fill, sea, vision) >= SEA_APART

    def test_shading_classes_step_apart(self, vision):
        fills = [linear(sym.NO_EVENTS_COLOUR), *province_fills()]
        for a, b in itertools.pairwise(fills):
            assert delta_e(a, b, vision) >= CLASSES_APART

    def test_shading_gets_darker_class_by_class(self, vision):
        # Lightness alone orders the classes, whatever the hues look like.
        lightness = [lab(VISIONS[vision] @ f)[0] for f in province_fills()]
        assert lightness == sorted(lightness, reverse=True)


def test_simulation_confuses_what_it_should():
    # The simulation itself: red and green, far apart normally, nearly merge for a deuteranope.
    red, green = linear("#d62728"), linear("#2ca02c")
    assert delta_e(red, green, "normal") > 60
    assert delta_e(red, green, "deuteranopia") < delta_e(red, green, "normal") / 2
