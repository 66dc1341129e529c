"""Recovery of background work: what the scheduler dispatches again by itself (never started, or abandoned)."""
