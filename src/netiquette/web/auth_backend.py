"""Signing in with Django's accounts, loading the member's profile with the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User


class MemberBackend(ModelBackend):
    """Django's model backend; every signed-in request needs the user and their member
    profile, so both come in one query."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
