"""The L/C desk's findings and dates in the reader's language.

The trade core words each finding in English (that is what the API and the audit keep) and gives
its figures in ``params``; the pages and the email word them here, through gettext. What to ask
for in an amendment stays in English on purpose: it goes to the buyer and their bank.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewind.trade.lc_deadlines import CreditDeadlines, DeadlineKind
from tradewind.trade.lc_review import FindingCode

C = FindingCode
MESSAGES = {
    C.CURRENCY: gettext_lazy(
        "The credit is in %(lc_currency)s, the contract in %(contract_currency)s."
    ),
    C.AMOUNT_SHORT: gettext_lazy(
        "The credit allows drawing at most %(most)s, %(short)s short of the contract."
    ),
    C.AMOUNT_OVER: gettext_lazy(
        "The credit is for %(over)s more than the contract: check it is for this contract."
    ),
    C.AMOUNT_NO_QUANTITY_ROOM: gettext_lazy(
        "Shipping the contract's extra quantity would overdraw the credit."
    ),
    C.GOODS_LINE_MISSING: gettext_lazy(
        "45A does not describe “%(description)s”: the invoice must match 45A, so the goods must "
        "be described there as in the contract."
    ),
    C.GOODS_QUANTITY: gettext_lazy(
        "45A does not state the contract quantity %(quantity)s for “%(description)s”."
    ),
    C.INCOTERM: gettext_lazy(
        "The credit is on %(lc_terms)s terms, the contract on %(contract_term)s: costs and "
        "documents differ."
    ),
    C.INCOTERM_MISSING: gettext_lazy(
        "45A names no Incoterm: the invoice will carry the contract's price term."
    ),
    C.NAMED_PLACE: gettext_lazy(
        "The named place differs: %(lc_place)s in the credit, %(contract_place)s in the contract."
    ),
    C.FREIGHT_NOTATION: gettext_lazy(
        "The transport document must be marked “%(notation)s”, which does not fit %(term)s."
    ),
    C.PORT_OF_LOADING: gettext_lazy(
        "The credit names %(lc_port)s, the contract %(contract_port)s: the B/L must show the "
        "credit's port, so we could not ship as agreed."
    ),
    C.PORT_OF_DISCHARGE: gettext_lazy(
        "The credit names %(lc_port)s, the contract %(contract_port)s: the B/L must show the "
        "credit's port, so we could not ship as agreed."
    ),
    C.INSURANCE_MISSING: gettext_lazy(
        "Under %(term)s we insure, but 46A does not call for the insurance document: the credit "
        "looks issued on other terms."
    ),
    C.INSURANCE_NOT_OURS: gettext_lazy(
        "Under %(term)s the buyer insures, but the credit asks us for an insurance document — "
        "an extra cost not in the price."
    ),
    C.INSURANCE_COVER: gettext_lazy(
        "The credit asks for %(asked)s %% insurance cover, the contract for %(cover)s."
    ),
    C.SHIPMENT_TOO_SOON: gettext_lazy(
        "The latest shipment date %(latest)s cannot be met with the production lead time: on "
        "board %(ready)s at the earliest."
    ),
    C.SHIPMENT_EARLIER: gettext_lazy("The credit wants shipment earlier than the contract."),
    C.EXPIRED: gettext_lazy("The credit has already expired."),
    C.EXPIRY_ABROAD: gettext_lazy(
        "The credit expires in %(country)s: the documents must reach that place by the expiry "
        "date. Ask for expiry in China."
    ),
    C.SHIPMENT_AFTER_EXPIRY: gettext_lazy(
        "The latest shipment date %(latest)s is after the expiry %(expiry)s: shipment must in "
        "practice be earlier."
    ),
    C.SHORT_PRESENTATION_WINDOW: gettext_lazy(
        "Shipping on the latest shipment date leaves only %(window)s days to present before "
        "expiry (the period is %(period)s days)."
    ),
    C.TENOR: gettext_lazy(
        "The credit pays %(days)s days after presentation; the contract agreed %(agreed_days)s."
    ),
    C.CONFIRMATION: gettext_lazy(
        "The contract calls for a confirmed credit; this one is not confirmed."
    ),
    C.CHARGES: gettext_lazy("All bank charges, the issuing bank's too, are for our account."),
}
SHIPMENT_STATE = {
    (C.PARTIAL_SHIPMENT, "not_allowed"): gettext_lazy(
        "The credit prohibits partial shipments; the contract allows them."
    ),
    (C.PARTIAL_SHIPMENT, "conditional"): gettext_lazy(
        "Partial shipments only under the conditions in 47A — check they can be met."
    ),
    (C.TRANSHIPMENT, "not_allowed"): gettext_lazy(
        "The credit prohibits transhipment; the contract allows it (in containers under one B/L "
        "it is acceptable anyway, UCP 600 art. 20(c))."
    ),
    (C.TRANSHIPMENT, "conditional"): gettext_lazy(
        "Transhipment only under the conditions in 47A — check they can be met."
    ),
}
SOFT_CLAUSES = {
    "inspection_by_applicant": gettext_lazy(
        "Soft clause: an inspection certificate only the applicant can sign. If they do not "
        "sign, the documents cannot comply and the bank will not pay."
    ),
    "signed_by_applicant": gettext_lazy(
        "Soft clause: a document the applicant must sign or issue, so payment depends on their "
        "cooperation."
    ),
    "applicant_approval": gettext_lazy(
        "Soft clause: the credit waits for the applicant's approval, which they can withhold."
    ),
    "shipment_on_applicant_instructions": gettext_lazy(
        "Soft clause: shipment can only go on the applicant's instructions or nominated vessel."
    ),
    "not_operative": gettext_lazy(
        "Soft clause: the credit is not in force yet; it becomes operative only on a later notice."
    ),
    "import_licence": gettext_lazy(
        "Soft clause: payment depends on the buyer obtaining an import licence or exchange "
        "approval."
    ),
    "payment_after_goods": gettext_lazy(
        "Soft clause: payment waits for the goods to arrive or be accepted by the buyer."
    ),
    "original_bl_to_applicant": gettext_lazy(
        "Soft clause: an original B/L sent straight to the applicant lets them take the goods "
        "before paying."
    ),
}


def discrepancy_message(code: str, params: dict, fallback: str) -> str:
    """The finding's message in the active language; the stored English one if unknown."""
    params = params or {}
    try:
        finding = C(code)
    except ValueError:
        return fallback
    if finding is C.SOFT_CLAUSE:
        template = SOFT_CLAUSES.get(params.get("key", ""))
        return str(template) if template else fallback
    if finding in (C.PARTIAL_SHIPMENT, C.TRANSHIPMENT):
        template = SHIPMENT_STATE.get((finding, params.get("state", "")))
        return str(template) if template else fallback
    template = MESSAGES.get(finding)
    if template is None:
        return fallback
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return fallback


def deadline_rows(result: CreditDeadlines) -> list[dict]:
    """The dates card: each date with a note in the active language."""
    dates = result.dates
    rows = []
    for deadline in result.deadlines:
        if deadline.kind is DeadlineKind.LATEST_SHIPMENT:
            note = _("On board by this date. It never moves to the next banking day (art. 29(c)).")
        elif deadline.kind is DeadlineKind.LAST_PRESENTATION:
            if dates.period_last_day <= dates.expiry_effective:
                note = _("%(days)s days after shipment on %(date)s.") % {
                    "days": dates.presentation_period_days,
                    "date": dates.on_board_date.isoformat(),
                }
            else:
                note = _("Set by the expiry date: the presentation period would run past it.")
            if dates.period_last_day != dates.period_ends_on and dates.period_last_day <= (
                dates.expiry_effective
            ):
                note += " " + _("Moved to the next banking day (art. 29(a)).")
        elif dates.expiry_effective != dates.expiry_date:
            note = _(
                "The bank is closed that day, so documents are still taken on %(date)s "
                "(art. 29(a)) — do not count on it."
            ) % {"date": dates.expiry_effective.isoformat()}
        else:
            note = _("The documents must reach the place of expiry by this date.")
        rows.append({"kind": deadline.kind.value, "date": deadline.date, "note": note})
    return rows
