"""The fit score of one company against ideal customer profiles: pure Python, no database.

Rules (every rule a profile does not use is left out, and so are its points):
- Each criterion has a weight. A criterion the company meets earns its weight; one it does not
  meet, or cannot be judged on because the field is empty, earns nothing. Both are still listed
  as reasons (``±0``), so the rep sees what would raise the score.
- Evidence against the profile costs points: a company whose contacts only use free-mail
  addresses loses the company-email weight; an excluded keyword loses ``excluded_keyword``.
- score = 100 × max(0, points) / points possible, rounded half up, so it is 0–100 whatever the
  weights. With the default weights and every criterion in use, points possible is 100 and the
  reasons add up to the score.
- A company's score is its best score over the given profiles; no profile (or none with a
  criterion) gives ``None``.
- Keywords match case-insensitively (NFKC + casefold) in the company's name, products of
  interest, notes and tags. A Latin keyword matches whole words, plural ``-s``/``-es`` included
  ("LED panel" matches "LED panels", "led" does not match "sled"); a Chinese keyword matches
  anywhere. Only the first ``TEXT_LIMIT`` characters of the text are searched.
"""

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

TEXT_LIMIT = 20_000

# Reason codes, stored in Company.icp_reasons and rendered in the user's language by display.py.
COUNTRY = "country"
REGION = "region"
MARKET_MISS = "market_miss"
MARKET_UNKNOWN = "market_unknown"
CUSTOMER_TYPE = "customer_type"
CUSTOMER_TYPE_MISS = "customer_type_miss"
CUSTOMER_TYPE_UNKNOWN = "customer_type_unknown"
SIZE = "size"
SIZE_MISS = "size_miss"
SIZE_UNKNOWN = "size_unknown"
PRODUCTS = "products"
PRODUCTS_MISS = "products_miss"
KEYWORDS = "keywords"
KEYWORDS_MISS = "keywords_miss"
EXCLUDED = "excluded"
WEBSITE = "website"
WEBSITE_MISSING = "website_missing"
COMPANY_EMAIL = "company_email"
FREE_MAIL_ONLY = "free_mail_only"
NO_EMAIL = "no_email"
DECISION_MAKER = "decision_maker"
DECISION_MAKER_MISSING = "decision_maker_missing"


@dataclass(frozen=True)
class Weights:
    """Points per criterion; the defaults add up to 100 (``excluded_keyword`` only subtracts)."""

    market: int = 25
    customer_type: int = 10
    size: int = 10
    products: int = 20
    keywords: int = 5
    website: int = 10
    company_email: int = 10
    decision_maker: int = 10
    excluded_keyword: int = 20


@dataclass(frozen=True)
class ProfileSpec:
    """What one profile asks for. ``regions`` maps a region code to its countries."""

    name: str
    profile_id: int | None = None
    countries: frozenset[str] = frozenset()
    regions: tuple[tuple[str, frozenset[str]], ...] = ()
    customer_types: frozenset[str] = frozenset()
    sizes: frozenset[str] = frozenset()
    product_keywords: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    excluded_keywords: tuple[str, ...] = ()
    check_website: bool = False
    check_company_email: bool = False
    check_decision_maker: bool = False
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class CompanyFacts:
    """What the score looks at, gathered from a company, its contacts and tags."""

    country: str = ""
    customer_type: str = ""
    size: str = ""
    text: str = ""  # folded: name, products of interest, notes and tags
    has_website: bool = False
    email_domains: frozenset[str] = frozenset()
    company_email_domains: frozenset[str] = frozenset()  # email_domains minus free mail
    has_decision_maker: bool = False


@dataclass(frozen=True)
class Reason:
    points: int
    rule: str
    value: str = ""
    region: str = ""

    def as_json(self, profile: str) -> dict:
        data = {"points": self.points, "rule": self.rule, "value": self.value, "profile": profile}
        if self.region:
            data["region"] = self.region
        return data


@dataclass(frozen=True)
class Fit:
    score: int
    profile: str
    profile_id: int | None
    points: int
    possible: int
    reasons: tuple[Reason, ...]

    def reasons_json(self) -> list[dict]:
        return [reason.as_json(self.profile) for reason in self.reasons]


def fold(text: str) -> str:
    """Text as compared: Unicode-normalised (full-width → half-width) and case-folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def email_domain(email: str) -> str:
    local, at, domain = (email or "").strip().rpartition("@")
    return fold(domain).strip(".") if at and local else ""


def company_facts(
    *,
    name: str = "",
    country: str = "",
    customer_type: str = "",
    size: str = "",
    website_domain: str = "",
    products_of_interest: str = "",
    notes: str = "",
    tags: Iterable[str] = (),
    emails: Iterable[str] = (),
    has_decision_maker: bool = False,
    is_free_mail: Callable[[str], bool] = lambda domain: False,
) -> CompanyFacts:
    """Gather the facts from plain values (the ORM side passes them in, with the duplicate
    check's test of a public mailbox domain)."""
    parts = [name, products_of_interest, " ".join(tags), notes]
    domains = frozenset(d for d in (email_domain(e) for e in emails) if d)
    return CompanyFacts(
        country=(country or "").upper(),
        customer_type=customer_type or "",
        size=size or "",
        text=fold("\n".join(p for p in parts if p))[:TEXT_LIMIT],
        has_website=bool((website_domain or "").strip()),
        email_domains=domains,
        company_email_domains=frozenset(d for d in domains if not is_free_mail(d)),
        has_decision_maker=has_decision_maker,
    )


_LATIN = r"0-9a-z\u00c0-\u024f"


def _term_regex(term: str) -> str:
    before = f"(?<![{_LATIN}])" if re.match(f"[{_LATIN}]", term) else ""
    after = f"(?:e?s)?(?![{_LATIN}])" if re.search(f"[{_LATIN}]$", term) else ""
    return f"{before}{re.escape(term)}{after}"


@functools.lru_cache(maxsize=512)
def _compiled(terms: tuple[str, ...]):
    """(one regex for any of the terms, [(term as written, its own regex)]) for a keyword list.
    The combined regex is a quick test that most texts fail; a text that passes is checked
    term by term, so overlapping terms ("LED", "LED panel") are each found."""
    pairs = [(term, fold(term).strip()) for term in terms]
    pairs = [(term, key) for term, key in pairs if key]
    if not pairs:
        return None, []
    combined = re.compile("|".join(_term_regex(key) for _term, key in pairs))
    return combined, [(term, re.compile(_term_regex(key))) for term, key in pairs]


def matched_terms(text: str, terms: Sequence[str]) -> list[str]:
    """The terms (as written in the profile) found in the folded ``text``, in profile order."""
    combined, singles = _compiled(tuple(terms))
    if combined is None or not text or not combined.search(text):
        return []
    found, seen = [], set()
    for term, pattern in singles:
        if pattern.search(text) and fold(term) not in seen:
            seen.add(fold(term))
            found.append(term)
    return found


def _market(spec: ProfileSpec, facts: CompanyFacts) -> Reason:
    weight = spec.weights.market
    if not facts.country:
        return Reason(0, MARKET_UNKNOWN)
    if facts.country in spec.countries:
        return Reason(weight, COUNTRY, facts.country)
    for region, countries in spec.regions:
        if facts.country in countries:
            return Reason(weight, REGION, facts.country, region)
    return Reason(0, MARKET_MISS, facts.country)


def _choice(value: str, wanted: frozenset[str], weight: int, rules: tuple[str, str, str]):
    hit, miss, unknown = rules
    if not value:
        return Reason(0, unknown)
    return Reason(weight, hit, value) if value in wanted else Reason(0, miss, value)


def _terms(text: str, terms, weight: int, hit: str, miss: str) -> Reason:
    found = matched_terms(text, terms)
    return Reason(weight, hit, ", ".join(found)) if found else Reason(0, miss)


def _email(facts: CompanyFacts, weight: int) -> Reason:
    if facts.company_email_domains:
        return Reason(weight, COMPANY_EMAIL, sorted(facts.company_email_domains)[0])
    if facts.email_domains:
        return Reason(-weight, FREE_MAIL_ONLY)
    return Reason(0, NO_EMAIL)


def _criteria(spec: ProfileSpec, facts: CompanyFacts) -> list[tuple[int, Reason]]:
    """(points possible, reason) for every criterion the profile uses."""
    w = spec.weights
    rows = []
    if spec.countries or spec.regions:
        rows.append((w.market, _market(spec, facts)))
    if spec.customer_types:
        rules = (CUSTOMER_TYPE, CUSTOMER_TYPE_MISS, CUSTOMER_TYPE_UNKNOWN)
        rows.append(
            (
                w.customer_type,
                _choice(facts.customer_type, spec.customer_types, w.customer_type, rules),
            )
        )
    if spec.sizes:
        rows.append(
            (w.size, _choice(facts.size, spec.sizes, w.size, (SIZE, SIZE_MISS, SIZE_UNKNOWN)))
        )
    if spec.product_keywords:
        reason = _terms(facts.text, spec.product_keywords, w.products, PRODUCTS, PRODUCTS_MISS)
        rows.append((w.products, reason))
    if spec.keywords:
        rows.append(
            (w.keywords, _terms(facts.text, spec.keywords, w.keywords, KEYWORDS, KEYWORDS_MISS))
        )
    if spec.check_website:
        hit = facts.has_website
        rows.append((w.website, Reason(w.website, WEBSITE) if hit else Reason(0, WEBSITE_MISSING)))
    if spec.check_company_email:
        rows.append((w.company_email, _email(facts, w.company_email)))
    if spec.check_decision_maker:
        hit = facts.has_decision_maker
        reason = (
            Reason(w.decision_maker, DECISION_MAKER) if hit else Reason(0, DECISION_MAKER_MISSING)
        )
        rows.append((w.decision_maker, reason))
    return rows


def score_profile(spec: ProfileSpec, facts: CompanyFacts) -> Fit | None:
    """The company's fit against one profile, or None when the profile has no criterion."""
    rows = _criteria(spec, facts)
    possible = sum(points for points, _reason in rows)
    reasons = [reason for _points, reason in rows]
    excluded = matched_terms(facts.text, spec.excluded_keywords)
    if excluded:
        reasons.append(Reason(-spec.weights.excluded_keyword, EXCLUDED, ", ".join(excluded)))
    if not rows:
        return None
    points = sum(reason.points for reason in reasons)
    score = (200 * max(0, points) + possible) // (2 * possible) if possible > 0 else 0
    return Fit(
        score=min(100, score),
        profile=spec.name,
        profile_id=spec.profile_id,
        points=points,
        possible=possible,
        reasons=tuple(reasons),
    )


def best_fit(specs: Iterable[ProfileSpec], facts: CompanyFacts) -> Fit | None:
    """The highest-scoring profile's fit (the first one on a tie), or None without profiles."""
    best = None
    for spec in specs:
        fit = score_profile(spec, facts)
        if fit is not None and (best is None or fit.score > best.score):
            best = fit
    return best
