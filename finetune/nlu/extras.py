"""Generated `other` messages that templates cannot express well: gibberish, emoji runs, other scripts."""

from __future__ import annotations

import random

from finetune.nlu.templates import Segment

KEYBOARD = ["asdf", "qwer", "zxcv", "hjkl", "uiop", "asdkjh", "sdfgsdfg", "jjjjj", "aaaaa", "qwertyuiop"]
# Common characters thrown together without meaning (a cat on the keyboard of a pinyin IME).
CJK_POOL = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感"  # noqa: E501 - common characters, one string
EMOJI = [
    "🐶",
    "🌈",
    "🎉",
    "🍎",
    "⚽",
    "🚗",
    "🤣",
    "😴",
    "🙃",
    "🌚",
    "🐱",
    "🍉",
    "✨",
    "🎈",
    "🤪",
    "💤",
    "🌸",
    "🍔",
]
OTHER_SCRIPTS = [
    "こんにちは、元気ですか",
    "これはいくらですか",
    "ありがとうございます",
    "注文はどこですか",
    "안녕하세요",
    "감사합니다",
    "주문 취소하고 싶어요",
    "Привет, как дела?",
    "Где мой заказ?",
    "مرحبا كيف حالك",
    "أين طلبي",
    "สวัสดีครับ",
    "Hola, ¿dónde está mi pedido?",
    "Bonjour, ça va?",
    "Wo ist meine Bestellung?",
    "xin chào",
    "नमस्ते",
]


def gibberish(rng: random.Random) -> tuple[str, list[Segment]]:
    """A random keyboard mash, nonsense Chinese (common characters in no order: the likeliest mash of a
    Chinese keyboard), an emoji run or a message in another script."""
    kind = rng.choice(["latin", "latin", "cjk", "cjk", "cjk", "emoji", "script", "mixed"])
    if kind == "latin":
        words = [
            rng.choice(KEYBOARD)
            if rng.random() < 0.3
            else "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
            for _ in range(rng.randint(1, 3))
        ]
        text = " ".join(words)
    elif kind == "cjk":
        text = "".join(rng.choice(CJK_POOL) for _ in range(rng.randint(3, 12)))
    elif kind == "emoji":
        text = "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 5)))
    elif kind == "script":
        text = rng.choice(OTHER_SCRIPTS)
    else:
        text = "".join(rng.choice(CJK_POOL + "abcdefghijk123?!。") for _ in range(rng.randint(4, 14)))
    return f"other/gen/{kind}", [(text, None, None)]
