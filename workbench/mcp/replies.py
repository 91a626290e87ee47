"""A tool's answer: a short text summary for people, the data as structured JSON, and the same
JSON as text for clients that read only text."""
from __future__ import annotations

import json

from mcp.types import CallToolResult, TextContent


def jsonable(data):
    """``data`` as plain JSON values: dates, decimals, UUIDs and other objects become text."""
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def reply(summary: str, data: dict) -> CallToolResult:
    """The result of a tool: ``summary`` first, then ``data`` (structured and as JSON text)."""
    structured = jsonable(data)
    text = json.dumps(structured, indent=1, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=summary),
                                   TextContent(type="text", text=text)],
                          structured_content=structured)
