"""Colour checks for the house palette: WCAG contrast and colour-vision-deficiency simulation."""
from __future__ import annotations

import itertools
import math

# Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear RGB.
CVD_MATRICES = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def relative_luminance(hex_colour: str) -> float:
    r, g, b = (_linear(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str = "#FFFFFF") -> float:
    """WCAG 2 contrast ratio (1 to 21); AA asks at least 4.5 for body text, 3 for large text and graphics."""
    high, low = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def simulate(hex_colour: str, deficiency: str) -> tuple[float, float, float]:
    """The sRGB colour (0-1) that a viewer with the deficiency sees."""
    linear = [_linear(c) for c in _rgb(hex_colour)]
    matrix = CVD_MATRICES[deficiency]
    return tuple(_gamma(sum(m * c for m, c in zip(row, linear))) for row in matrix)


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def distance(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """CIE76 colour difference of two sRGB colours (0-1): about 2.3 is just noticeable."""
    return math.dist(_lab(a), _lab(b))


def weakest_pair(colours: list[str]) -> tuple[float, str, str, str]:
    """The least distinguishable pair of colours over normal vision and the three deficiencies."""
    worst = (math.inf, "", "", "")
    for a, b in itertools.combinations(colours, 2):
        for vision in ("normal", *CVD_MATRICES):
            sa, sb = ((_rgb(a), _rgb(b)) if vision == "normal" else (simulate(a, vision), simulate(b, vision)))
            d = distance(sa, sb)
            if d < worst[0]:
                worst = (d, a, b, vision)
    return worst
