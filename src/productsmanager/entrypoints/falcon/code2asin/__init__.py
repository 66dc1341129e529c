"""Code2ASIN over HTTP: Amazon's access, jobs matching EANs to ASINs and their results, Amazon's data of a
product, and the EAN export for the desktop tool."""
