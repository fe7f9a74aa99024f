"""Adapters to the outside: the database (models, migrations), request keys, the installation store."""
