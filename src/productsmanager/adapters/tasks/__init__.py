"""Task queues: in-process for the embedded default, Dramatiq on Redis in production."""
