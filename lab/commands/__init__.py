"""Subcommands of `vpn-lab`; each module has `register(subparsers)` and sets `func`."""
