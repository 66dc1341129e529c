"""Code2ASIN: EANs matched to Amazon ASINs, Amazon's data and images brought into the catalog."""
