"""Console commands of the trade core: ``tradewind price``, ``tradewind load``, ``tradewind lc``.

:data:`COMMANDS` maps each command name to a function that takes the arguments *after* the
command name and returns the exit code: 0 on success, 2 for argument errors (the message, naming
the option, goes to stderr). Output is a human-readable table by default and JSON with
``--json``; amounts in JSON are decimal strings. Percentages are numbers of per cent
(``--vat 13``). ``lc`` exits 0 even when it finds discrepancies: they are its answer.

No Django here: the platform's ``tradewind`` entry point dispatches to these functions.
"""

from __future__ import annotations

from collections.abc import Callable

from tradewind.trade.cli_lc import lc_command
from tradewind.trade.cli_load import load_command
from tradewind.trade.cli_price import price_command

COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "price": price_command,
    "load": load_command,
    "lc": lc_command,
}

__all__ = ["COMMANDS", "lc_command", "load_command", "price_command"]
