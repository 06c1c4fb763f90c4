"""The shared service: its database (models, migrations), accounts and the audit journal.

A face (the command line, later the web) uses it; the products never import it.
"""
