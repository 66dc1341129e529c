"""The back office's platform pages: forgotten and reset passwords, the signed-in user's account, the global
settings and user administration, on the same use cases as the REST API's auth and settings resources."""
