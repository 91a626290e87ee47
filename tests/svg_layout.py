"""Reading the texts of a graphviz SVG as boxes, to check that none runs into another.

Each text's box is measured in DejaVu Sans, the font a browser without Helvetica draws it in
(the widest of the fonts it may pick), and anchored where graphviz put it.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from workbench.erd.text_width import text_width

SVG = "{http://www.w3.org/2000/svg}"
TOLERANCE = 0.5  # points


@dataclass(frozen=True)
class TextBox:
    text: str
    left: float
    right: float
    top: float
    bottom: float

    def overlaps(self, other: TextBox) -> bool:
        across = min(self.right, other.right) - max(self.left, other.left)
        down = min(self.bottom, other.bottom) - max(self.top, other.top)
        return across > TOLERANCE and down > TOLERANCE


def text_box(element) -> TextBox:
    """The box a ``<text>`` element covers: its measured width, from its anchor."""
    size = float(element.get("font-size"))
    width = text_width(element.text or "", size, bold=element.get("font-weight") == "bold")
    x, y = float(element.get("x")), float(element.get("y"))
    left = {"start": x, "middle": x - width / 2, "end": x - width}[element.get("text-anchor")]
    return TextBox(element.text or "", left, left + width, y - 0.8 * size, y + 0.2 * size)


def shapes(svg: str) -> list:
    """The ``<g class="node">`` groups of the drawing."""
    root = ET.fromstring(svg.encode("utf-8"))
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]


def outline(node) -> tuple[float, float]:
    """The left and right edges of a node's first polygon (its outer border)."""
    polygon = next(node.iter(f"{SVG}polygon"))
    xs = [float(point.split(",")[0]) for point in polygon.get("points").split()]
    return min(xs), max(xs)


def collisions(svg: str) -> list[str]:
    """Every pair of texts of one node that overlap, and every text crossing its node's border."""
    found = []
    for node in shapes(svg):
        boxes = [text_box(t) for t in node.iter(f"{SVG}text")]
        left, right = outline(node)
        found += [f"{box.text!r} crosses the border of its node" for box in boxes
                  if box.left < left - TOLERANCE or box.right > right + TOLERANCE]
        found += [f"{a.text!r} runs into {b.text!r}" for n, a in enumerate(boxes)
                  for b in boxes[n + 1:] if a.overlaps(b)]
    return found


def clipped(svg: str) -> list[str]:
    """Texts that run past the right edge of the drawing."""
    root = ET.fromstring(svg.encode("utf-8"))
    width = float(root.get("viewBox").split()[2])
    offset = translation(root)
    return [f"{box.text!r} ends at {box.right + offset:.0f}pt, past {width:.0f}pt"
            for box in map(text_box, root.iter(f"{SVG}text")) if box.right + offset > width + TOLERANCE]


def translation(root) -> float:
    """The x translation of the drawing's top group (graphviz moves it by the margin)."""
    transform = next(root.iter(f"{SVG}g")).get("transform", "")
    if "translate(" not in transform:
        return 0.0
    return float(transform.split("translate(")[1].split()[0].rstrip(","))
