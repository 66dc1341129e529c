"""Technology adapters that implement the application's ports."""
