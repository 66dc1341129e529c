"""The progress event stream (`GET /api/v1/events`, Server-Sent Events) for pages and API clients."""
