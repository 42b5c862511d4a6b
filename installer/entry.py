"""The bundle's entry point (PyInstaller needs a script): the ``akquise-desktop`` command."""

from akquise_desktop.cli import main

raise SystemExit(main())
