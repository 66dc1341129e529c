"""Supplier imports: files submitted or fetched over FTP, jobs and their rejected rows, profiles, the CSV export."""
