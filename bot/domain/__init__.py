"""Pure rules over plain values: no database, no Slack, no language catalogs (DESIGN.md "Architecture")."""
