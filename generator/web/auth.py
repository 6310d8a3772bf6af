"""The login backend: Django's own, reading with the user the membership and committee that every page uses.

Every page of the office acts for the member's committee (``request.user.membership.committee``) and prints its
name: read with the user from the session, they cost no query of their own on each request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("membership__committee").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
