"""Google Drive: connecting an account (OAuth 2.0 with PKCE), keeping its token fresh, browsing and moving files."""
