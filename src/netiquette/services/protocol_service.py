"""The protocol in force for a member: their preset, then their override file or text."""

from __future__ import annotations

from pathlib import Path

from netiquette.core.models import MemberProfile
from netiquette.domain.protocol import PRESETS, Protocol, ProtocolError
from netiquette.protocols import compose, default_override_file, preset_text, read_override


def protocol_in_force(profile: MemberProfile, protocol_file: Path | None = None) -> Protocol:
    """Preset from the profile; overrides from ``protocol_file``, else the member's stored
    overrides, else ``protocol.toml`` in the config directory (when it exists)."""
    if protocol_file is not None:
        return compose(profile.preset, read_override(protocol_file), str(protocol_file))
    if profile.protocol_overrides.strip():
        return compose(profile.preset, profile.protocol_overrides, "your protocol overrides")
    default = default_override_file()
    if default.is_file():
        return compose(profile.preset, read_override(default), str(default))
    return compose(profile.preset)


def use_preset(profile: MemberProfile, preset: str) -> None:
    if preset not in PRESETS:
        raise ProtocolError(f"unknown preset '{preset}' (choose one of {', '.join(PRESETS)})")
    preset_text(preset)
    profile.preset = preset
    profile.save(update_fields=["preset"])


def save_overrides(profile: MemberProfile, text: str) -> Protocol:
    """Validate and store a member's override text (the web app's settings page)."""
    protocol = compose(profile.preset, text, "your protocol overrides")
    profile.protocol_overrides = text
    profile.save(update_fields=["protocol_overrides"])
    return protocol
