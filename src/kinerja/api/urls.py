"""REST API v1 (django-ninja); the OpenAPI document is at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="Kinerja API", version="1", urls_namespace="api-v1")
