"""AkquiseDesktop: a desktop CRM built around the activity / follow-up chain."""

__version__ = "0.1.0"
