from akquise_desktop.cli import main

raise SystemExit(main())
