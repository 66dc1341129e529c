"""Google Drive: the OAuth rules (state, PKCE, token expiry, connection status) and Drive's names and folders."""
