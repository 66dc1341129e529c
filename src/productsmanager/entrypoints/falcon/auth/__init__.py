"""Sessions (login, logout, the current user), passwords (forgotten, reset, changed) and user administration."""
