"""Stats, import and settings pages."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from netiquette.domain.protocol import PRESETS
from netiquette.errors import UserError
from netiquette.services.members import update_profile
from netiquette.services.protocol_service import save_overrides, use_preset
from netiquette.services.stats import member_stats
from netiquette.services.webauth import api_tokens, issue_api_token, revoke_api_tokens
from netiquette.web.charts import bar_chart
from netiquette.web.common import action, actor_of, back

IMPORT_KINDS = (("auto", "Detect from the file"), ("linkedin", "LinkedIn data export (.zip)"),
                ("vcard", "Address book (.vcf)"))
MAX_UPLOAD = 200 * 1024 * 1024


def stats(request: HttpRequest) -> HttpResponse:
    s = member_stats(request.user)  # type: ignore[arg-type]
    rates: list[tuple[str, float]] = []
    if s.reply_rate is not None:
        rates.append(("your inquiries", 100 * s.reply_rate))
    rates += [(label, 100 * rate) for label, rate in s.references]
    return render(request, "web/stats.html", {
        "s": s, "nav": "stats",
        "funnel": bar_chart([(k, float(n)) for k, n in s.funnel], fmt="{:.0f}", css="funnel"),
        "rates": bar_chart(rates, fmt="{:.0f}%", css="rate", scale_to=100),
        "make_up": bar_chart([(k, float(n)) for k, n in s.familiarity], fmt="{:.0f}",
                             css="people"),
        "reply_pct": None if s.reply_rate is None else round(100 * s.reply_rate, 1),
    })


def import_service() -> Any:
    """The one service the upload calls."""
    from netiquette.services.imports import import_upload

    return import_upload


def import_page(request: HttpRequest) -> HttpResponse:
    run = import_service()
    summary = None
    if request.method == "POST":
        summary = _import(request, run)
    return render(request, "web/import.html", {
        "kinds": IMPORT_KINDS, "summary": summary,
        "nav": "import"}, status=200)


# What the summary shows, in this order, with these labels (keys it does not name follow).
SUMMARY_LABELS = {
    "kind": "Kind", "source": "File", "people_added": "People added",
    "people_updated": "People updated", "invitations_new": "New invitations",
    "invitations_history": "Invitations already settled", "cases_opened": "Cases opened",
    "messages_new": "New messages", "inquiries_matched": "Inquiries matched",
    "replies_matched": "Replies matched", "rows_skipped": "Rows skipped",
    "skipped": "Skipped rows", "ignored_files": "Files not read",
    "tables_skipped": "Tables not read again",
}
SUMMARY_HIDDEN = {"tables"}  # bookkeeping for the next import, not news for the member


def present_summary(summary: dict[str, Any], stored_as: str,
                    name: str) -> list[dict[str, Any]]:
    """The import's summary as rows for people (``label``, and ``value`` or ``lines``): the
    uploaded file's own name where the importer saw a temporary path, bookkeeping left out."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(stored_as, name)
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    keys = [k for k in SUMMARY_LABELS if k in summary]
    keys += [k for k in summary if k not in SUMMARY_LABELS and k not in SUMMARY_HIDDEN]
    rows = []
    for k in keys:
        value = clean(summary[k])
        if value in ([], ""):
            continue
        label = SUMMARY_LABELS.get(k, k.replace("_", " ").capitalize())
        if isinstance(value, list):
            rows.append({"label": label, "lines": [str(v) for v in value]})
        else:
            rows.append({"label": label, "value": value})
    return rows


def _import(request: HttpRequest, run: Any) -> list[dict[str, Any]] | None:
    upload = request.FILES.get("file")
    kind = request.POST.get("kind", "auto")
    if upload is None:
        messages.error(request, "choose a file to import")
        return None
    if kind not in dict(IMPORT_KINDS) or (upload.size or 0) > MAX_UPLOAD:
        messages.error(request, f"{upload.name}: not a file this page can import")
        return None
    name = upload.name or "upload"
    suffix = Path(name).suffix[:10]
    with tempfile.TemporaryDirectory(prefix="netiquette-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            result = run(actor_of(request), path, kind, name)
        except UserError as exc:
            text = str(exc).replace(str(path), name)
            messages.error(request, text if name in text else f"{name}: {text}")
            return None
    return present_summary({str(k): v for k, v in dict(result).items()}, str(path), name)


def settings_page(request: HttpRequest, new_token: str = "") -> HttpResponse:
    a = actor_of(request)
    profile = a.profile
    return render(request, "web/settings.html", {
        "profile": profile, "presets": PRESETS, "nav": "settings", "new_token": new_token,
        "tokens": api_tokens(a.member),
        "overrides": request.session.pop("unsaved_overrides", profile.protocol_overrides),
    })


@action
def settings_token(request: HttpRequest) -> HttpResponse:
    """Create (or, with ``revoke``, delete all) API tokens; a new one is shown once."""
    a = actor_of(request)
    if request.POST.get("revoke"):
        revoke_api_tokens(a.member)
        messages.success(request, "API tokens revoked.")
        return back(request, "/settings")
    raw = issue_api_token(a.member, request.POST.get("name", "")[:100])
    return settings_page(request, new_token=raw)


@action
def settings_profile(request: HttpRequest) -> HttpResponse:
    a = actor_of(request)
    name = request.POST.get("display_name", "")
    if not " ".join(name.split()):
        raise UserError("name: a member needs a name")
    update_profile(a, name=name[:200], signature=request.POST.get("signature", "")[:2000])
    messages.success(request, "Profile saved.")
    return back(request, "/settings")


@action
def settings_protocol(request: HttpRequest) -> HttpResponse:
    a = actor_of(request)
    profile = a.profile
    text = request.POST.get("overrides", "")
    preset = request.POST.get("preset", profile.preset)
    try:
        if preset != profile.preset:
            use_preset(profile, preset)
        save_overrides(profile, text)
    except UserError:
        request.session["unsaved_overrides"] = text
        raise
    messages.success(request, "Protocol saved.")
    return back(request, "/settings")
