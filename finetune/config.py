"""Dataclass configs as command lines: every field becomes `--field` with its help text, and
`--config FILE.yaml` supplies values (precedence: dataclass default < YAML < command line)."""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


class ConfigError(ValueError):
    """A config file or value that cannot be used."""


def _base_type(tp: Any) -> Any:
    """`int` for `int | None`, the element type for lists, else the type itself."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _base_type(args[0]) if args else str
    return tp


def add_dataclass_args(parser: argparse.ArgumentParser, cls: type) -> None:
    """Add one option per dataclass field (defaults suppressed so YAML values are not overridden)."""
    hints = typing.get_type_hints(cls)
    parser.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS, help="YAML file with values for the options below"
    )
    for f in dataclasses.fields(cls):
        tp = _base_type(hints[f.name])
        name = "--" + f.name.replace("_", "-")
        help_text = f.metadata.get("help", "")
        default = f.default if f.default is not dataclasses.MISSING else None
        help_text = f"{help_text} (default: {default})" if default not in (None, "") else help_text
        if tp is bool:
            parser.add_argument(
                name,
                dest=f.name,
                action=argparse.BooleanOptionalAction,
                default=argparse.SUPPRESS,
                help=help_text,
            )
        elif typing.get_origin(tp) is list:
            (elem,) = typing.get_args(tp) or (str,)
            parser.add_argument(
                name, dest=f.name, nargs="*", type=elem, default=argparse.SUPPRESS, help=help_text
            )
        else:
            parser.add_argument(
                name,
                dest=f.name,
                type=tp if tp in (int, float, str) else str,
                default=argparse.SUPPRESS,
                help=help_text,
            )


def load_yaml_config(path: Path) -> dict[str, Any]:
    """The mapping in a YAML config file (keys may use - or _)."""
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping of option: value")
    return {str(k).replace("-", "_"): v for k, v in data.items()}


def build_config(cls: type[T], args: argparse.Namespace | dict[str, Any] | None = None) -> T:
    """An instance of `cls` from parsed options (and the YAML file they name)."""
    given = dict(vars(args)) if isinstance(args, argparse.Namespace) else dict(args or {})
    values: dict[str, Any] = {}
    if given.get("config"):
        values.update(load_yaml_config(Path(given["config"])))
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values.update({k: v for k, v in given.items() if k in names})
    unknown = set(values) - names
    if unknown:
        raise ConfigError(f"unknown option(s) for {cls.__name__}: {', '.join(sorted(unknown))}")
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad {cls.__name__}: {exc}") from exc
