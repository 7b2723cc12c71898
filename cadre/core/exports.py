"""Helpers for files people download and open in a spreadsheet."""


def spreadsheet_safe(value) -> str:
    """A spreadsheet runs a cell that starts with = + - or @ as a formula: make it plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
