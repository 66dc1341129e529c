"""Code2ASIN over HTTP: jobs matching EANs to ASINs, their results, and Amazon's data of a product."""
