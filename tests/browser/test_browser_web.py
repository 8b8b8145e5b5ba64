"""The web app in a real browser: sign in, triage with the keyboard, edit and complete a draft,
charts, and an XSS corpus that never executes. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest


def test_the_printed_link_signs_in_once(server, signed_in, page, shot):
    p, watch = page
    p.goto(server.base + "/")
    assert p.locator("h1").first.inner_text().startswith("Inbox")
    shot(p, "inbox")
    with pytest.raises(urllib.error.HTTPError) as used:
        urllib.request.urlopen(server.login_url, timeout=10)
    assert used.value.code == 403
    assert not watch.dialogs and not watch.errors


def test_triage_an_invitation_with_the_keyboard(server, page, shot):
    p, watch = page
    ben = server.ids["ben"]
    p.goto(server.base + "/")
    p.evaluate("sessionStorage.clear()")
    p.reload()
    first = p.locator("li.case").nth(0)
    assert "selected" in (first.get_attribute("class") or "")
    p.keyboard.press("j")  # Ann Newest -> Ben Second
    row = p.locator(f"#case-{ben}")
    assert "selected" in (row.get_attribute("class") or "")
    with p.expect_navigation():
        p.keyboard.press("c")  # converse
    row = p.locator(f"#case-{ben}")
    assert row.locator("button.on[value=converse]").count() == 1
    assert "selected" in (row.get_attribute("class") or "")  # selection survives the reload
    with p.expect_navigation():
        p.keyboard.press("m")  # mark known
    assert p.locator(f"#case-{ben} .tag.fam-known").count() == 1
    with p.expect_navigation():
        p.keyboard.press("g")  # verdict: generic (a label)
    assert "your label" in p.locator(f"#case-{ben} .verdict").inner_text()
    shot(p, "inbox-after-triage")
    assert not watch.dialogs and not watch.errors


def test_edit_copy_and_complete_an_agenda_draft(server, signed_in, page, shot):
    p, watch = page
    action = server.ids["ann_action"]
    signed_in.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
    p.goto(server.base + "/agenda")
    area = p.locator(f"#draft-{action}")
    assert "have we met" in area.input_value().lower()
    area.fill("Hi Ann, have we met? I could not place you. Jim")
    with p.expect_navigation():
        p.locator(f"#action-{action} button[value=save]").click()
    assert p.locator(f"#draft-{action}").input_value().startswith("Hi Ann, have we met?")
    p.locator(f"#action-{action} button.copy").click()
    copied = f"#action-{action} .copied"
    p.wait_for_function(f"document.querySelector('{copied}').textContent !== ''")
    assert p.evaluate("navigator.clipboard.readText()").startswith("Hi Ann, have we met?")
    shot(p, "agenda")
    with p.expect_navigation():
        p.locator(f"#action-{action} button[value=done]").click()
    assert p.locator(f"#action-{action}").count() == 0
    p.goto(server.base + f"/cases/{server.ids['ann']}")
    assert "Hi Ann, have we met? I could not place you." in p.content()
    assert "inquiry_sent" in p.content()
    shot(p, "case")
    assert not watch.dialogs and not watch.errors


def test_stats_draws_its_charts(server, page, shot):
    p, watch = page
    p.goto(server.base + "/stats")
    charts = p.locator("svg.chart")
    assert charts.count() == 3
    bars = p.locator("svg.chart.funnel rect")
    assert bars.count() == 6
    box = bars.first.bounding_box()
    assert box is not None and box["width"] > 50
    assert "received" in (charts.first.text_content() or "")
    shot(p, "stats")
    assert not watch.dialogs and not watch.errors


def test_the_xss_corpus_never_executes(server, page, shot):
    p, watch = page
    urls = ["/", "/agenda", "/people", "/people?q=x", "/stats", "/settings", "/import"]
    urls += [f"/people/{pid}" for pid in server.ids["xss_people"]]
    for url in urls:
        p.goto(server.base + url)
        p.wait_for_load_state("load")
        assert p.evaluate("window.__xss === undefined"), url
        if url.startswith("/people/"):
            assert p.locator("img[src=x], iframe, svg[onload]").count() == 0, url
    p.goto(server.base + "/")
    assert "<img src=x onerror=alert(1)>" in p.locator("#inbox").inner_text()
    # open each XSS case page too
    for link in p.locator("a.open").all()[:10]:
        href = link.get_attribute("href")
        p2 = p.context.new_page()
        p2.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
        p2.goto(server.base + href)
        p2.close()
    assert watch.dialogs == []
    assert watch.errors == []


def test_every_page_has_a_screenshot(server, page, shot):
    p, watch = page
    for name, url in (("people", "/people"), ("settings", "/settings"), ("import", "/import"),
                      ("person", f"/people/{server.ids['xss_people'][0]}")):
        p.goto(server.base + url)
        shot(p, name)
    context = p.context.browser.new_context()
    anon = context.new_page()
    anon.goto(server.base + "/agenda")
    assert anon.url.startswith(server.base + "/login")
    shot(anon, "login")
    context.close()
    assert not watch.dialogs and not watch.errors


def test_upload_an_export_shows_progress_then_its_summary(server, page, shot, tmp_path):
    """Upload a LinkedIn export zip from the import page: the bar and status follow the
    upload, the summary appears in place, and the export's pending invitations are in the
    inbox. A file that is not an export gets the importer's one-line error, in place."""
    import re
    import zipfile

    from playwright.sync_api import expect

    p, watch = page
    export = tmp_path / "Basic_LinkedInDataExport.zip"
    source = Path(__file__).resolve().parents[1] / "fixtures" / "linkedin" / "modern"
    with zipfile.ZipFile(export, "w") as z:
        for f in sorted(source.iterdir()):
            z.write(f, f.name)
    p.goto(server.base + "/import")
    p.set_input_files("#import-form input[name=file]", str(export))
    p.click("#import-form button.primary")
    p.wait_for_selector("#import-summary", timeout=60_000)
    assert p.locator("#import-status").inner_text() == "Imported."
    assert p.evaluate("document.getElementById('import-progress').value") == 100
    summary = p.locator("#import-summary").inner_text()
    assert "Cases opened" in summary and "Basic_LinkedInDataExport.zip" in summary
    assert "/tmp/" not in summary
    assert p.url == server.base + "/import"  # the page stayed; the summary came in place
    shot(p, "import-summary")

    bad = tmp_path / "notes.zip"
    bad.write_bytes(b"this is not a zip file")
    p.set_input_files("#import-form input[name=file]", str(bad))
    p.click("#import-form button.primary")
    expect(p.locator("#import-status")).to_have_text(re.compile("^Nothing imported"),
                                                     timeout=60_000)
    assert "notes.zip" in p.locator("ul.messages").inner_text()
    assert p.locator("#import-summary").count() == 0

    p.goto(server.base + "/?q=dana")
    assert "Dana Fox" in p.locator("#inbox").inner_text()
    assert not watch.dialogs and not watch.errors
