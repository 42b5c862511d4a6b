"""Exports: iCalendar (follow-ups as calendar entries)."""
