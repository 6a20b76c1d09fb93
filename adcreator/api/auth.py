"""/api/v1/auth/token/: POST trades a username and password for the user's API token, DELETE
revokes the caller's token.

POST accepts JSON and form bodies (as DRF's own token view does) and is throttled per account
and per client address like the login pages (adcreator.web.throttle): once locked, it answers
429 with Retry-After and checks no password.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from adcreator.api.errors import error_responses
from adcreator.api.parsers import BoundedFormParser, BoundedJSONParser, BoundedMultiPartParser
from adcreator.api.tokens import token_for, token_revoke
from adcreator.web.throttle import LoginLocked, lockout_message, login_attempt


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class LoginThrottled(Throttled):
    """429 with Retry-After; the message says when, in words (DRF would append its own count)."""

    def __init__(self, locked: LoginLocked):
        super().__init__(detail=lockout_message(locked))
        self.wait = locked.retry_after


class ThrottledCredentialsSerializer(AuthTokenSerializer):
    def validate(self, attrs):
        try:
            attempt = login_attempt(self.context["request"], attrs.get("username"))
        except LoginLocked as locked:
            raise LoginThrottled(locked) from None
        validated = super().validate(attrs)  # a wrong password raises: the attempt stays counted
        attempt.succeeded()
        return validated


class TokenView(APIView):
    parser_classes = [BoundedJSONParser, BoundedFormParser, BoundedMultiPartParser]

    # POST needs no session (nor its CSRF token): an integration has only the password. DELETE
    # is made by whoever holds the token (or a logged-in browser session).
    def _is_post(self) -> bool:
        # No request yet while drf-spectacular builds its mock one: the schema says auth=[] for POST.
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self):
        if self._is_post():
            return []
        return [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]

    def get_permissions(self):
        return [AllowAny()] if self._is_post() else [IsAuthenticated()]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get the API token of a user (created on first request, renewed once expired).",
        request=AuthTokenSerializer,
        responses={200: TokenSerializer, **error_responses(400, 413, 429)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        credentials = ThrottledCredentialsSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        token = token_for(credentials.validated_data["user"])
        return Response(TokenSerializer({"token": token.key}).data, status=status.HTTP_200_OK)

    @extend_schema(
        operation_id="auth_token_destroy",
        summary="Revoke your API token (the next POST issues a new one).",
        request=None,
        responses={204: OpenApiResponse(description="The token is revoked."), **error_responses(401)},
        tags=["auth"],
    )
    def delete(self, request):
        token_revoke(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
