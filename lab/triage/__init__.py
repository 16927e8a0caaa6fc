"""Triage: the troubleshooting trees and their pure engine, the evidence that answers questions
automatically (each fact with its provenance: connection, tunnel and the line, metric or field it
came from, never combined across tunnels, and with what it proves and what it does not), the fixes
filled with the values the evidence extracted and the commands per customer-gateway family, and the
Markdown incident report. The Troubleshooter page and `vpn-lab triage` are thin shells over it.
"""
