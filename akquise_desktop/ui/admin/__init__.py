"""Verwaltung: the administration's pages (users, teams, role groups,
campaigns, activity types, system settings), each a module of its own over
:class:`.page.AdminPage`; :mod:`.view` puts them in one view."""
