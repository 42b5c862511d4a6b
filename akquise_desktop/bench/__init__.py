"""The performance benchmark (issue 4): ``akquise-desktop bench --db URL --json FILE``.

:mod:`.operations` defines what is measured (the application's query functions
and controller, each read also as bare SQL from :mod:`.bare`), :mod:`.runner`
times it and writes the JSON and the table, :mod:`.processes` measures cold
start, its floor and peak memory in fresh processes.
"""
