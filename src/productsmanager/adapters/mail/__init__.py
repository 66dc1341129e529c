"""E-mail adapters: SMTP delivery, the log of the embedded default, and the Jinja templates of every message."""
