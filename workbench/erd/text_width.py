"""How wide a text is drawn, measured in the widest common sans-serif font.

Diagrams ask for Helvetica. graphviz-pure measures text with Helvetica's metrics, but a
browser without Helvetica (most Linux desktops) draws it in DejaVu Sans, which is up to a
sixth wider, so texts laid out side by side run into each other. Cells sized with these
DejaVu Sans advance widths hold their text in any of the fonts a browser picks for Helvetica.
"""
from __future__ import annotations

import math
import unicodedata

FIRST = 32  # the widths below are for the printable ASCII characters, space (32) to ~ (126)
# Advance widths in thousandths of an em, from DejaVuSans.ttf and DejaVuSans-Bold.ttf.
REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,
    525, 636, 337, 636, 838)
BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734,
    830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812,
    774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
    712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652,
    582, 712, 365, 712, 838)
OTHER = 850  # any other character: wider than most letters
WIDE = 1000  # East Asian wide and full-width characters: a full em

# Room a cell keeps beside its padding, so rounding never puts two texts edge to edge.
SLACK = 2
# What a renderer that hints glyphs to whole pixels (graphviz with pango) may add per character.
HINTING = 0.5


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of ``text`` in points at ``size`` points (italic is as wide as regular)."""
    table = BOLD if bold else REGULAR
    return sum(char_width(ch, table) for ch in str(text)) * size / 1000


def char_width(ch: str, table: tuple[int, ...]) -> int:
    """One character's advance width in thousandths of an em."""
    code = ord(ch)
    if FIRST <= code < FIRST + len(table):
        return table[code - FIRST]
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return WIDE if unicodedata.east_asian_width(ch) in ("W", "F") else OTHER


def cell_width(text: str, size: float, *, bold: bool = False, padding: float = 3) -> int:
    """The WIDTH (in points) of a graphviz table cell that holds ``text`` with ``padding``."""
    return math.ceil(text_width(text, size, bold=bold) + 2 * padding + SLACK)


def fixed_width(text: str, size: float, *, bold: bool = False) -> int:
    """The width (in points) of a box of fixed size that holds ``text``: room also for a
    renderer that rounds each character's advance to a whole pixel, which a minimum WIDTH
    lets grow but a fixed size would not."""
    return math.ceil(text_width(text, size, bold=bold) + HINTING * len(text) + SLACK)
