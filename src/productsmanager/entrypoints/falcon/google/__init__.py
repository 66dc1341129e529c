"""REST API of the Google Drive integration: connecting the account and browsing, downloading, uploading files."""
