"""Tradewind's trade core: pure-Python export arithmetic (no Django — enforced by import-linter).

Decimal in, frozen dataclasses out; rates, dates, calendars and "now" are always passed in.

Modules:

* ``money`` — currency minor units and the one rounding helper (half-up).
* ``incoterms`` — the 11 Incoterms 2020 rules as data; transport-mode checks.
* ``pricing`` (+ ``pricing_inputs``, ``pricing_engine``, ``pricing_reverse``) — the export price
  build-up for every term under both conventions, with its working; the reverse mode.
* ``containers`` / ``loadplan`` — cartons per container, multi-SKU plans, LCL W/M, air weight.
* ``calendars`` — working weeks and bank / office calendars by country.
* ``lc`` — UCP 600 presentation dates and discrepancies; ``lc_deadlines`` — the dates to watch
  and the reminders due; ``mt700`` — pasted SWIFT MT700 / MT707 text read into terms;
  ``lc_review`` (+ ``lc_review_types``, ``lc_review_documents``, ``lc_soft_clauses``) — a
  received credit checked against the contract.
* ``payment_terms`` / ``credit`` — schedules, the exporter-risk ranking, term recommendations.
* ``sendtime`` — the next moment to send to a buyer, in their morning.
* ``cli`` — the ``tradewind price | load | lc`` console commands (``COMMANDS``).
* ``errors`` — one domain exception per rule family, each naming the field at fault.
"""
