"""Code2ASIN: a product's EAN matched to Amazon's ASIN, with Amazon's view of the product and its images."""
