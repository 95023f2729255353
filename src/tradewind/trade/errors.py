"""Domain errors of the trade core: one class per rule family.

Every error names the argument at fault in ``field`` (the Python keyword, e.g.
``purchase_price_rmb``) so the web forms, the API and the console commands can point the
salesperson at the right input. Messages say what to change, not only what is wrong.

Wrong *types* (a float where a Decimal is needed, a string where a date is needed) raise the
built-in ``TypeError`` instead: that is a programming error, not a salesperson's.
"""

from __future__ import annotations


class TradeError(ValueError):
    """A trade rule refused the input. ``field`` names the argument at fault (or ``None``)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class MoneyError(TradeError):
    """An amount, rate or currency code is unusable (not a number, unknown currency, …)."""


class IncotermError(TradeError):
    """Unknown Incoterms rule, or a rule used with a transport mode it does not fit."""


class PricingError(TradeError):
    """The export price build-up cannot be made from these inputs."""


class ContainerError(TradeError):
    """Cartons, containers or a loading plan are impossible as given."""


class CalendarError(TradeError):
    """A bank or working calendar cannot be built (unknown country, bad weekend days)."""


class LetterOfCreditError(TradeError):
    """The terms of a letter of credit or a presentation under it are contradictory."""


class PaymentTermsError(TradeError):
    """A payment-terms template, schedule or credit profile is inconsistent."""


class SendTimeError(TradeError):
    """No send time can be computed (naive ``now``, unknown zone, empty window, …)."""
