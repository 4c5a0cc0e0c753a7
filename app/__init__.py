"""kefu application layer: settings, CLI, web API, demo commerce store and its actions."""
