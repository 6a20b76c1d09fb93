"""POST /api/v1/auth/token/: trade a username and password for an API token."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from adcreator.api.errors import error_responses


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class PasswordGuessThrottle(AnonRateThrottle):
    # Slows password guessing per client address; a real integration asks for a token once.
    rate = "30/min"


class TokenCreateView(APIView):
    # No session auth here: a browser's session cookie must not be needed (nor its CSRF token).
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [PasswordGuessThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get the API token of a user (created on first request).",
        request=AuthTokenSerializer,
        responses={200: TokenSerializer, **error_responses(400, 429)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=credentials.validated_data["user"])
        return Response(TokenSerializer({"token": token.key}).data, status=status.HTTP_200_OK)
