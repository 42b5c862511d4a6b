"""The load test's command-line options (without importing the load test:
the ``akquise-desktop`` parser is built on every start)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clients", type=int, default=20, metavar="N", help="client processes")
    parser.add_argument("--seconds", type=float, default=60.0, metavar="S")
    parser.add_argument("--records", type=int, default=5, metavar="N", help="records per client")
    parser.add_argument(
        "--pause", type=float, default=0.0, metavar="S", help="think time between saves (±50 %%)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--no-rls", action="store_true", help="the roles with BYPASSRLS (needs a superuser)"
    )
    mode.add_argument("--compare", action="store_true", help="with and without RLS")
    parser.add_argument("--json", metavar="FILE", help="the report as a JSON file")
