from django.http import HttpRequest
from ninja.security import HttpBearer

from tradewind.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal token from ``tradewind token NAME``."""

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user
