"""The page's "Animated (Story / Reel)" option, in a real browser: a quick clip, then the full one to share."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("av", reason="the video extra (PyAV) is part of the test extra")

from test_web_browser import browser, expect, open_page, server_url, wait_for_preview  # noqa: E402,F401


@pytest.fixture
def short_clips(monkeypatch):
    from generator.motion import timeline

    monkeypatch.setattr(timeline, "SECONDS", 1.0)  # the same clip, shorter: the page's part is what is tested


def test_animated_story_shows_a_quick_clip_then_shares_the_full_mp4(open_page, short_clips):
    page = open_page("be", share=True)
    wait_for_preview(page)
    page.locator("label[for=animate]").click()
    expect(page.locator("#animate")).to_be_checked()
    with page.expect_response(lambda r: "/api/animate" in r.url and "quick=1" in r.url) as quick:
        page.locator("#make").click()
    assert quick.value.ok and quick.value.headers["content-type"] == "video/mp4"
    card = page.locator(".result", has=page.locator("video"))
    expect(card).to_have_count(1)
    expect(card.locator(".share")).to_be_enabled(timeout=120_000)  # only once the full-size clip is in
    expect(card.locator(".result-title")).to_have_text("Анімацыя (Story / Reel)")
    expect(page.locator("#status")).to_have_text("Ваша відэа гатовае ніжэй.")
    card.locator(".share").click()
    expect(page.locator("html")).to_have_attribute("data-shared", "1")  # no eval under the page's CSP
    shared = page.evaluate("window.__shared[0]")
    assert shared["files"][0]["type"] == "video/mp4"
    assert re.fullmatch(r"cornflower-.*-be-instagram-story-[0-9a-f]{10}\.mp4", shared["files"][0]["name"])
    assert "#StandWithBelarus" in shared["text"]
