"""What the NLU classifiers read of a social-media message (graph/nlu/text.py)."""

from graph.nlu.text import MAX_MODEL_CHARS, clean, model_view


def test_handles_and_links_are_not_read() -> None:
    view = model_view("@AmazonHelp @115712 where is my parcel https://t.co/abc www.x.com <url> <phone>")
    assert view == "where is my parcel"


def test_html_entities_of_posts_are_decoded() -> None:
    assert model_view("parcel &amp; receipt &gt; 3 days &lt;3") == "parcel & receipt > 3 days <3"


def test_hashtags_read_as_words_but_not_anchors_or_entities() -> None:
    assert model_view("#fail again #customerservice") == "fail again customerservice"
    assert model_view("order #12345 & item #2") == "order #12345 & item #2"
    assert model_view("a&#39;b") == "a'b"


def test_view_is_bounded_and_collapses_whitespace() -> None:
    assert model_view("a \n\t b") == "a b"
    assert len(model_view("x" * 10_000)) == MAX_MODEL_CHARS
    assert model_view(clean("\x00\u200b")) == ""
