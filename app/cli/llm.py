"""`kefu llm ...`: the generation tier's commands (vLLM deployment line, a one-off reply)."""

from __future__ import annotations

import argparse
import shlex

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("llm", help="LLM tier: vLLM deployment recipe and checks")
    llm_sub = parser.add_subparsers(dest="llm_command", required=True)
    cmd = llm_sub.add_parser("vllm-command", help="print the `vllm serve` line for the fine-tuned model")
    cmd.add_argument("--model", help="merged model folder, or the base model when --adapter is given "
                                     "(default: KEFU_LLM_LOCAL_PATH)")
    cmd.add_argument("--adapter", action="append", default=[], metavar="NAME=PATH",
                     help="serve a LoRA adapter under NAME (repeatable); clients send NAME as the model")
    cmd.add_argument("--profile", choices=["quiet", "normal", "promotion"], default="normal",
                     help="traffic profile: max-num-seqs 8 / 16 / 32")
    cmd.add_argument("--host", default="127.0.0.1")
    cmd.add_argument("--port", type=int, default=8001)
    cmd.add_argument("--no-fp8", action="store_true", help="serve unquantised (no --quantization fp8)")
    cmd.add_argument("--json", action="store_true", help="print the argv as a JSON list")
    cmd.set_defaults(func=_vllm_command)
    ask = llm_sub.add_parser("ask", help="answer one policy question with the configured LLM (or the composer)")
    ask.add_argument("question")
    ask.add_argument("--intent", default=None, help="taxonomy intent (default: none)")
    ask.add_argument("--language", choices=["zh", "en", "mixed"], default=None, help="default: guessed")
    ask.add_argument("--json", action="store_true", help="print the whole result as JSON")
    ask.set_defaults(func=_ask)


def _vllm_command(args: argparse.Namespace) -> int:
    from graph.generation.vllm import VllmCommandError, parse_adapter, vllm_command

    model = args.model or get_settings().llm_local_path
    if not model:
        raise CliError("--model is required (or set KEFU_LLM_LOCAL_PATH)")
    try:
        adapters = [parse_adapter(spec) for spec in args.adapter]
        served = adapters[0].name if adapters else get_settings().llm_model
        argv = vllm_command(model, adapters=adapters, profile=args.profile, host=args.host, port=args.port,
                            served_name="base" if adapters else served, quantization=None if args.no_fp8 else "fp8")
    except VllmCommandError as exc:
        raise CliError(str(exc)) from exc
    emit(argv if args.json else shlex.join(argv), as_json=args.json)
    return 0


def _ask(args: argparse.Namespace) -> int:
    from app.wiring import ShopPolicies
    from graph.reply.policy import ask_policy_question

    question = args.question.strip()
    if not question:
        raise CliError("the question is empty")
    settings = get_settings()
    result = ask_policy_question(settings, ShopPolicies(settings), question, language=args.language,
                                 intent=args.intent)
    emit(result if args.json else result["reply"], as_json=args.json)
    return 0
