"""Open routes about the API itself: health, the OpenAPI document and the page that shows it."""
