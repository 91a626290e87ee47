"""Colours, fonts and shapes of the diagrams, in one place. No emoji: shapes, colour and text."""
from __future__ import annotations

FONT = "Helvetica"
FONT_SIZE = 10
SMALL = 8

BORDER = "#5d6d7e"
HEADER = "#d6eaf8"
FOCUS_HEADER = "#f9e79f"
VIEW_HEADER = "#e8daef"
MUTED = "#707b7c"
EDGE = "#566573"
IMPLIED_EDGE = "#7d3c98"
CLUSTER = "#aab7b8"

LEVEL_BORDER = {"error": "#c0392b", "warn": "#d35400", "info": "#2874a6"}
LEVEL_FILL = {"error": "#f5b7b1", "warn": "#fad7a0", "info": "#aed6f1"}
LEVEL_WORDS = {"error": "error", "warn": "warning", "info": "note"}

# Crow's foot ends, as graphviz arrow shapes (read from the table outwards).
MANY = "crowodot"          # zero or more children
AT_MOST_ONE = "teeodot"    # zero or one (a unique foreign key, or an optional parent)
EXACTLY_ONE = "teetee"     # one and only one (a NOT NULL foreign key's parent)
