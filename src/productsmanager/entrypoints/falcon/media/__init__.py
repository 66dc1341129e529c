"""Product images: upload, list, read, make primary, delete, regenerate thumbnails, and their bytes."""
