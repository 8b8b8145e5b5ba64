"""The owner's verdict labels, which the classifier learns from."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User

from netiquette.paths import data_dir


def model_path(member: User) -> Path:
    """Where the member's trained classifier model lives."""
    return data_dir() / "models" / f"classifier-{member.pk}.pkl"
