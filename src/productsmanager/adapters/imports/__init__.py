"""Import adapters: supplier files (CSV, XLSX, optionally .gz/.zip) read as a stream of rows."""
