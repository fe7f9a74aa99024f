"""Event handlers that write outbox rows: the App Home, notifications, the posted agenda."""
