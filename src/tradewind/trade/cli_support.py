"""Shared plumbing of the trade console commands: a non-exiting argparse, argument types,
error reporting that names the option, and JSON / number formatting. See :mod:`tradewind.trade.cli`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from tradewind.trade.errors import TradeError
from tradewind.trade.money import format_decimal_places

USAGE_ERROR = 2


class UsageError(Exception):
    pass


class ExitRequest(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Parser(argparse.ArgumentParser):
    """argparse that reports instead of calling ``sys.exit``."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(message)

    def exit(self, status: int = 0, message: str | None = None):  # type: ignore[override]
        if message:
            print(message, file=sys.stderr, end="")
        raise ExitRequest(status)


def number(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def carton_size(text: str) -> tuple[Decimal, Decimal, Decimal]:
    parts = re.split(r"\s*[x×X*]\s*", text.strip())
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(
            f"give length x width x height in cm, e.g. 60x40x50: {text!r}"
        )
    return tuple(number(part) for part in parts)  # type: ignore[return-value]


def run(
    parser: Parser,
    argv: Sequence[str],
    handler: Callable[[argparse.Namespace], int],
    options: dict[str, str],
) -> int:
    try:
        args = parser.parse_args(list(argv))
    except UsageError as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except ExitRequest as done:
        return done.status
    try:
        return handler(args)
    except TradeError as error:
        option = options.get(error.field or "", error.field or "input")
        message = error.message.removeprefix(f"{error.field}: ")
        print(f"{parser.prog}: error: {option}: {message}", file=sys.stderr)
        return USAGE_ERROR


def emit_json(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def show(value: Decimal) -> str:
    """Exact when short, else 6 places (working lines)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and 0 <= -exponent <= 6:
        return str(value)
    if isinstance(exponent, int) and exponent > 0:
        return f"{value:f}"
    return format_decimal_places(value, 6)


def lines_payload(lines) -> list[dict[str, str]]:
    return [
        {"label": ln.label, "formula": ln.formula, "value": show(ln.value), "unit": ln.unit}
        for ln in lines
    ]
