"""Service functions: the one place where the store is written. The CLI, the web app and the
API only call these."""
