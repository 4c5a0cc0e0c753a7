"""Seeded generator of realistic synthetic dialogues for the demo shop (no private data needed).

Chinese first, with English and mixed dialogues; every taxonomy intent; agent turns state the demo
shop's rules with the KG's values; emotions with matching empathy; some PII (mostly maskable, some
not, so scrubbing drops a share); some poor agent answers with low ratings for the feedback loop.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from finetune.dialogues import Dialogue, Turn
from finetune.kg import KnowledgeGraph, build_kg
from finetune.resources import catalogue, load_yaml
from finetune.text import code_switch

_SLOT_FACTS = {
    "no_reason_days": "no_reason_return_days",
    "defect_days": "defect_return_days",
    "exchange_days": "exchange_days",
    "pp_days": "price_protection_days",
    "pp_claims": "price_protection_claims",
    "invoice_days": "invoice_days",
    "invoice_issue": "invoice_issue_workdays",
    "invoice_changes": "invoice_changes",
    "ship_hours": "ship_within_hours",
    "sign_hours": "signed_not_received_hours",
    "damage_hours": "damaged_report_hours",
    "investigate_days": "carrier_investigation_workdays",
    "inspect_hours": "inspection_hours",
    "refund_alipay": "refund_alipay_wechat_workdays",
    "refund_bank": "refund_bank_card_workdays",
    "free_over": "free_shipping_over_yuan",
    "ship_fee": "shipping_fee_yuan",
    "insurance_yuan": "insurance_cover_yuan",
}
_NOT_RETURNABLE_ZH = (
    "{cat}不支持七天无理由退货，如有质量问题可在签收后{defect_days}天内退换，运费由本店承担。"
)
_NOT_RETURNABLE_EN = (
    "{cat} items cannot be returned without a reason; quality problems within {defect_days} days."
)


@dataclass
class SynthConfig:
    """Knobs of the generator (shares are probabilities per dialogue)."""

    n: int = 400
    seed: int = 7
    en_share: float = 0.15
    mixed_share: float = 0.10
    pii_share: float = 0.14
    unsafe_pii_share: float = 0.09
    poor_answer_share: float = 0.12
    emotion_share: float = 0.35


def _pick(rng: random.Random, options: dict[str, list[str]], lang: str) -> str:
    return rng.choice(options.get("en" if lang == "en" else "zh") or options["zh"])


def _slots(kg: KnowledgeGraph, rng: random.Random, product: dict, lang: str) -> dict[str, str]:
    values = kg.values()
    cats = catalogue()["categories"]
    cat = cats.get(product["category"], {})
    slots = {k: values[v] for k, v in _SLOT_FACTS.items() if v in values}
    slots.update(
        product=product["name_en"] if lang == "en" else product["name"],
        cat=cat.get("en" if lang == "en" else "zh", product["category"]),
        order_id=str(rng.randrange(10**11, 10**12)),
        tracking=str(rng.randrange(10**11, 10**12)),
    )
    return slots


def _pii_line(rng: random.Random, unsafe: bool) -> str:
    if unsafe:
        bad_id = "1101051990" + "".join(rng.choice("0123456789") for _ in range(8))
        return rng.choice(
            [f"我的身份证号是{bad_id[:17]}", f"卡号{bad_id[:16]}你们核对一下", f"实名信息{bad_id}"]
        )
    phone = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
    return rng.choice(
        [
            f"我叫张伟，电话{phone}",
            f"收件人：王芳，手机{phone}",
            f"有事打我电话{phone}",
            "地址改成北京市朝阳区建国路88号",
            "我的邮箱是li.ming@example.com",
            "联系李先生就行",
        ]
    )


def _lines(spec: dict, key: str, lang: str) -> list[str]:
    """Template lines of one side (key "" customer, "agent") in the dialogue's language (zh for mixed)."""
    prefix = f"{key}_" if key else ""
    if lang == "en" and spec.get(f"{prefix}en"):
        return list(spec[f"{prefix}en"])
    return list(spec[f"{prefix}zh"])


def _agent_reply(
    rng: random.Random, spec: dict, lang: str, slots: dict[str, str], product: dict, variant: int
) -> str:
    """The answer; for `paired` intents the one that goes with the customer's question variant."""
    returnable = catalogue()["categories"].get(product["category"], {}).get("returnable", True)
    if spec["name"] in ("return_policy", "return_request") and not returnable:
        template = _NOT_RETURNABLE_EN if lang == "en" else _NOT_RETURNABLE_ZH
    else:
        lines = _lines(spec, "agent", lang)
        template = lines[variant % len(lines)] if spec.get("paired") else rng.choice(lines)
    return template.format(**slots)


def _emotion(rng: random.Random, cfg: SynthConfig, intent: str) -> tuple[str, float]:
    if intent == "complaint":
        return "angry", round(rng.uniform(0.6, 1.0), 2)
    if rng.random() >= cfg.emotion_share:
        return "neutral", 0.1
    label = rng.choice(["angry", "anxious"])
    return label, round(rng.uniform(0.4, 0.95), 2)


def _customer_open(
    rng: random.Random, spec: dict, lang: str, slots: dict, mood: tuple[str, float], variant: int
) -> str:
    lines = _lines(spec, "", lang)
    text = lines[variant % len(lines)].format(**slots)
    moods = load_yaml("synth_templates.yaml")["mood"]
    if mood[0] in moods:
        text = _pick(rng, moods[mood[0]], lang) + text
    return text


def generate_dialogue(idx: int, rng: random.Random, cfg: SynthConfig, kg: KnowledgeGraph) -> Dialogue:
    """One synthetic dialogue (turn labels, category, rating and resolution included)."""
    tpl = load_yaml("synth_templates.yaml")
    intent = rng.choice(sorted(tpl["intents"]))
    spec = {"name": intent, **tpl["intents"][intent]}
    r = rng.random()
    lang = "en" if r < cfg.en_share else "mixed" if r < cfg.en_share + cfg.mixed_share else "zh"
    product = rng.choice(catalogue()["products"])
    slots = _slots(kg, rng, product, lang)
    mood = _emotion(rng, cfg, intent)
    turns: list[Turn] = []
    if rng.random() < 0.4:
        turns += [
            Turn("customer", _pick(rng, tpl["greeting_open"], lang), "greeting", "neutral", 0.1),
            Turn("agent", _pick(rng, tpl["greeting_reply"], lang), by="bot", latency_s=0.8),
        ]
    variant = rng.randrange(12)
    opening = _customer_open(rng, spec, lang, slots, mood, variant)
    turns.append(Turn("customer", opening, intent, mood[0], mood[1]))
    if spec.get("ask_order") and slots["order_id"] not in opening:
        turns += [
            Turn("agent", _pick(rng, tpl["ask_order"], lang), by="bot", latency_s=1.0),
            Turn("customer", _pick(rng, tpl["give_order"], lang).format(**slots), intent, mood[0], mood[1]),
        ]
    poor = rng.random() < cfg.poor_answer_share
    reply = (
        _pick(rng, tpl["deflect"], lang) if poor else _agent_reply(rng, spec, lang, slots, product, variant)
    )
    if mood[0] in tpl["empathy"] and not poor:
        reply = _pick(rng, tpl["empathy"][mood[0]], lang) + reply
    turns.append(Turn("agent", reply, by="bot", latency_s=round(rng.uniform(0.5, 6.0 if poor else 2.5), 2)))
    if rng.random() < cfg.pii_share:
        unsafe = rng.random() < cfg.unsafe_pii_share / cfg.pii_share
        turns.insert(-1, Turn("customer", _pii_line(rng, unsafe), intent, "neutral", 0.1))
    turns += [
        Turn("customer", _pick(rng, tpl["thanks"], lang), "greeting", "positive", 0.4),
        Turn("agent", _pick(rng, tpl["bye"], lang), by="bot", latency_s=0.6),
    ]
    if lang == "mixed":
        for t in turns:
            if t.role == "customer":
                t.text = code_switch(t.text, rng)
    rating = rng.randint(2, 6) if poor else rng.choice([7, 8, 8, 9, 9, 9, 10, 10, 10, 10])
    return Dialogue(
        id=f"syn-{cfg.seed}-{idx:06d}",
        turns=turns,
        source="synthetic",
        category=product["category"],
        intent=intent,
        rating=rating,
        resolved=not poor,
        lang=lang,
    )


def generate_dialogues(cfg: SynthConfig, kg: KnowledgeGraph | None = None) -> list[Dialogue]:
    """`cfg.n` dialogues, reproducible for a given seed."""
    rng = random.Random(cfg.seed)
    kg = kg or build_kg()
    return [generate_dialogue(i, rng, cfg, kg) for i in range(cfg.n)]
