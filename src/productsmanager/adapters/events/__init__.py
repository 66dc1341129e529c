"""Progress event buses: the embedded one (in-process wakeups over a shared table) and what the buses share."""
