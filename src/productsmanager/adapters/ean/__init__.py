"""Barcode provider adapters (`EanProvider`): EAN-Search.org, Barcode Lookup and Go-UPC, each speaking its real
API over HTTPS through the outbound guard; `factory.build_ean_provider` picks one from a configuration."""
