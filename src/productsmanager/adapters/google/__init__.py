"""Google's OAuth endpoints and the Drive API through Google's client libraries, connected by the outbound guard."""
