"""The hold-to-talk button in real headless Chromium: a recorded clip (Chromium's fake audio capture plays a
WAV file as the microphone) goes through the button to a real `kefu serve`, and the page shows the voice
bubble with its transcript and the bot's reply."""

from __future__ import annotations

from pathlib import Path

import pytest
from speech import CALM

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = [pytest.mark.browser]


def test_hold_to_talk_sends_the_clip_and_shows_transcript_and_reply(serve_kefu, speak, asr_server, tmp_path,
                                                                    monkeypatch):
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    clip = tmp_path / "clip.wav"
    clip.write_bytes(speak("帮我查下订单368867462071到哪了", **CALM))
    monkeypatch.setenv("KEFU_DEMO_USERS", "10")
    monkeypatch.setenv("KEFU_DEMO_ORDERS", "100")
    monkeypatch.setenv("KEFU_ASR_BASE_URL", asr_server("帮我查下订单368867462071到哪了"))
    base = serve_kefu(tmp_path / "shop")
    args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={Path(clip)}"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        page.goto(base + "/")
        talk = page.locator("#talk")
        talk.wait_for()
        talk.hover()
        page.mouse.down()
        page.wait_for_timeout(2500)
        page.mouse.up()
        voice = page.locator(".msg.user.voice").last
        voice.locator(".transcript").filter(has_text="368867462071").wait_for(timeout=30_000)
        assert voice.locator("audio").count() == 1
        reply = page.locator(".msg.assistant").last
        reply.filter(has_text="368867462071").wait_for(timeout=30_000)
        browser.close()
