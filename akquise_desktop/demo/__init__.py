"""Demo data."""

from .generator import DemoResult, generate

__all__ = ["DemoResult", "generate"]
