"""Voice feature extraction speed: decode + prosody per second of audio (target ≤ 50 ms a second, one core).

    python -m evals.bench_voice [--clips 12]

Speech is synthesised locally with espeak-ng's Mandarin voice at calm and raised settings (short to long
sentences); each clip is timed 5 times and the median kept. Prints median and p90 ms per audio second.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = ["你好", "我的快递到哪了", "你们怎么回事，我的快递到底什么时候到",
             "我上周买的空气炸锅到现在还没发货，客服说今天发也没发，能不能给个准话",
             "订单显示已经签收了但是我根本没有收到，门卫那里也没有，你们赶紧帮我查一下快递员到底送哪去了，"
             "我明天就要出差了，东西是给我妈买的生日礼物"]
VOICES = [{"s": 150, "p": 40, "a": 80}, {"s": 230, "p": 85, "a": 180}]


def _clips(folder: Path, n: int) -> list[tuple[bytes, str]]:
    out = []
    for i in range(n):
        text, voice = SENTENCES[i % len(SENTENCES)], VOICES[i % len(VOICES)]
        path = folder / f"{i}.wav"
        subprocess.run(["espeak-ng", "-v", "cmn", "-s", str(voice["s"]), "-p", str(voice["p"]), "-a",
                        str(voice["a"]), "-w", str(path), text], check=True, capture_output=True)
        out.append((path.read_bytes(), text))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=12)
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed (install.sh --test installs it)", file=sys.stderr)
        return 2
    from app.voice.audio import decode
    from app.voice.prosody import prosody

    per_second, decode_share = [], []
    with tempfile.TemporaryDirectory() as tmp:
        clips = _clips(Path(tmp), args.clips)
        prosody(decode(clips[0][0], 60), clips[0][1])  # warm-up: the first call loads Praat
        for data, text in clips:
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                recording = decode(data, 60)
                decoded = time.perf_counter()
                prosody(recording, text)
                runs.append(((time.perf_counter() - started) * 1000, (decoded - started) * 1000, recording.seconds))
            total, dec, seconds = sorted(runs)[len(runs) // 2]
            per_second.append(total / seconds)
            decode_share.append(dec / total)
    per_second.sort()
    print(json.dumps({"clips": len(per_second), "median_ms_per_audio_s": round(statistics.median(per_second), 1),
                      "p90_ms_per_audio_s": round(per_second[int(0.9 * (len(per_second) - 1))], 1),
                      "decode_share": round(statistics.median(decode_share), 2), "target_ms_per_audio_s": 50}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
