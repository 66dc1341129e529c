"""FTP and explicit FTPS with the standard library's ftplib: supplier folders listed and files downloaded."""
