"""Reading protocols: a preset from the package, then the member's overrides."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from netiquette.domain.protocol import PRESETS, Protocol, ProtocolError, build, parse_toml
from netiquette.paths import config_dir


def preset_text(name: str) -> str:
    if name not in PRESETS:
        raise ProtocolError(f"unknown preset '{name}' (choose one of {', '.join(PRESETS)})")
    return (resources.files("netiquette.domain") / "presets" / f"{name}.toml").read_text("utf-8")


def default_override_file() -> Path:
    return config_dir() / "protocol.toml"


def read_override(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        raise ProtocolError(f"{path}: no such protocol file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"{path}: cannot read it ({exc})") from None


def compose(preset: str, override_text: str = "", override_label: str = "overrides") -> Protocol:
    """The protocol in force: ``preset`` (unless the override names another) plus overrides."""
    override = parse_toml(override_text, override_label) if override_text.strip() else {}
    if isinstance(override.get("preset"), str) and override["preset"] in PRESETS:
        preset = override["preset"]
    base_text = preset_text(preset)
    base = parse_toml(base_text, f"preset {preset}")
    sources = {"base": base_text, "base_label": f"preset {preset}",
               "override": override_text, "override_label": override_label}
    return build(base, override, preset, sources)


def check_file(path: Path) -> Protocol:
    """Validate a protocol file on its own (against the preset it names, or the default)."""
    return compose("have-we-met", read_override(path), str(path))
