"""REST capability of Code2ASIN: Amazon's access, jobs, results and the EAN export."""
