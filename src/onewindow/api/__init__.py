"""api: the versioned JSON API under /api/v1/ (django-ninja, OpenAPI 3.1). Calls services and
selectors only; errors carry a stable code and Chinese and English messages."""
