"""Desktop integration: tray, URL scheme, single instance, keyring."""
