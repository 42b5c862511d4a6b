"""Verwaltung › Kampagnen: the page (:class:`CampaignsPage`), its dialogs and
the allowed-next-statuses editor."""

from .page import CampaignsPage

__all__ = ["CampaignsPage"]
