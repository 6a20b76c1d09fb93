"""The integration API (/api/v1/): token auth, one error shape, an OpenAPI schema.

Each app keeps its endpoints in its own `api.py` + `serializers.py`; this package holds what
they share (errors, pagination, auth) and the URL map.
"""
