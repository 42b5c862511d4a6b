"""Verwaltung › Kampagnen (the page lives in the package :mod:`.campaigns`)."""

from .campaigns import CampaignsPage

__all__ = ["CampaignsPage"]
