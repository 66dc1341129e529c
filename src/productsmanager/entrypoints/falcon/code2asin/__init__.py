"""Code2ASIN's REST API: jobs, configuration, and the EAN export for the desktop tool."""
