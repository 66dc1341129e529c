"""Code2ASIN over HTTP: jobs matching EANs to ASINs, their results, Amazon's data of a product, the configuration
of Amazon's API, and the EAN export for the desktop tool."""
