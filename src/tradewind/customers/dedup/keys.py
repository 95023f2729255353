"""Duplicate-check keys (查重): what a company, or a company being typed, is recognised by.

Every company has a set of ``(kind, value)`` keys in the ``DedupKey`` table, rebuilt by
``refresh_company_keys`` after every write to the company or its contacts (the customer services
call it through ``company_changed``). The same functions compute the keys of a candidate that is
not saved yet, so stored and typed data are always compared under one definition.

Exact keys — one shared value means "the same buyer" (DOMAIN.md §7):
  name    the normalised name (case, accents, punctuation and legal forms removed)
  web     the website host without scheme, port or "www."
  email   a contact's full email address, lower-case
  domain  the domain of a company email address, and the website host too, so that
          anna@nordlicht.de finds the company whose website is nordlicht.de.
          Free-mail domains (gmail.com, qq.com, …) are never keys: thousands of unrelated
          buyers share them.
  phone   a contact's phone or WhatsApp in E.164
  ph8     the last 8 digits of that number, which survive a missing or wrong country code

Block keys — one shared value only makes two names worth comparing with rapidfuzz:
  tok     each distinctive word of the normalised name (3+ letters, not a generic trade word
          such as "trading" or "international"); CJK names, written without spaces, give their
          two-character pieces instead
  pfx     the first 3 letters of the first two distinctive words, then the whole name
          ("nor|leu|nordlicht leuchten"; a one-word name: its first 4 letters; a Chinese name:
          its first 2 characters). Not looked up by equality but as a sorted neighbourhood: the
          names stored just before and after the candidate's own value in the index — there,
          "nordlict leuchten" sits next to "nordlicht leuchten" even when a million names start
          with "nor" and "leu", as long as the typo is not in the first letters. For comparing
          two candidates with each other, ``blocking_key`` cuts it to its group ("nor|leu").

Judgement calls: a website on a platform (facebook.com/…, alibaba.com/…, linkedin.com/…) is
not a key — the path, not the host, names the buyer. Phones that cannot be parsed still give
their digits (a rep may have typed them without a country), and an email without "@" gives none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from tradewind.core.errors import DomainError
from tradewind.customers.normalize import normalize_company_name, phone_to_e164, website_domain

NAME, TOKEN, PREFIX = "name", "tok", "pfx"
WEB, EMAIL, DOMAIN, PHONE, PHONE_TAIL = "web", "email", "domain", "phone", "ph8"
EXACT_KINDS = frozenset({NAME, WEB, EMAIL, DOMAIN, PHONE, PHONE_TAIL})
BLOCK_KINDS = frozenset({TOKEN, PREFIX})
KEY_VALUE_MAX_LENGTH = 254

# Public mailbox providers: an address there says nothing about the company (DOMAIN.md §7).
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "ymail.com", "rocketmail.com", "aol.com", "icloud.com", "me.com", "mac.com",
        "protonmail.com", "proton.me", "pm.me", "tutanota.com", "zoho.com", "zohomail.com",
        "mail.com", "email.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "t-online.de",
        "freenet.de", "yandex.com", "yandex.ru", "ya.ru", "mail.ru", "inbox.ru", "list.ru",
        "bk.ru", "rambler.ru", "ukr.net", "qq.com", "foxmail.com", "163.com", "126.com",
        "yeah.net", "sina.com", "sina.cn", "sohu.com", "139.com", "189.cn", "aliyun.com",
        "21cn.com", "tom.com", "naver.com", "daum.net", "hanmail.net", "rediffmail.com",
        "libero.it", "virgilio.it", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net",
        "sfr.fr", "seznam.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "terra.com.br",
        "uol.com.br", "bol.com.br", "bigpond.com", "optusnet.com.au", "btinternet.com",
        "comcast.net", "att.net", "verizon.net", "hushmail.com", "inbox.com", "qip.ru",
    }
)  # fmt: skip
# Providers with a domain per country (yahoo.co.uk, hotmail.fr, outlook.de, gmx.at, …).
FREE_MAIL_BRANDS = frozenset(
    {"gmail", "googlemail", "hotmail", "outlook", "live", "msn", "yahoo", "ymail", "aol",
     "gmx", "yandex", "icloud", "protonmail"}
)  # fmt: skip
# Hosts where a path, not the host, names the buyer: never a website key.
PLATFORM_HOSTS = frozenset(
    {
        "facebook.com", "fb.com", "instagram.com", "linkedin.com", "twitter.com", "x.com",
        "youtube.com", "tiktok.com", "wa.me", "whatsapp.com", "google.com", "goo.gl",
        "sites.google.com", "alibaba.com", "1688.com", "aliexpress.com", "made-in-china.com",
        "globalsources.com", "amazon.com", "ebay.com", "etsy.com", "taobao.com", "tmall.com",
        "jd.com", "wix.com", "wixsite.com", "wordpress.com", "blogspot.com", "shopify.com",
        "myshopify.com", "weebly.com", "vk.com", "weixin.qq.com", "t.me", "yelp.com",
    }
)  # fmt: skip
# Words too common in buyers' names to say which two names are worth comparing.
GENERIC_WORDS = frozenset(
    {
        "the", "and", "und", "for", "of", "de", "del", "der", "die", "das", "des", "la", "le",
        "les", "los", "las", "et", "y", "e", "di", "da", "van", "von", "trading", "trade",
        "traders", "international", "intl", "group", "groups", "holding", "holdings",
        "industries", "industry", "industrial", "import", "imports", "export", "exports",
        "importers", "exporters", "global", "enterprise", "enterprises", "company", "services",
        "service", "solutions", "products", "supply", "supplies", "technology",
        "technologies", "tech", "handel", "handels", "commercial", "distribution",
        "distributors", "general", "world", "worldwide", "europe", "european", "asia", "usa",
        "america", "china", "import-export", "co", "sons", "brothers", "partners",
    }
)  # fmt: skip
TOKEN_MIN_LENGTH = 3
TOKENS_PER_NAME = 4
CJK_PIECES_PER_NAME = 6
PHONE_TAIL_DIGITS = 8
PREFIX_LETTERS = 3

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_free_mail_domain(domain: str) -> bool:
    """gmail.com, qq.com, yahoo.co.uk, hotmail.fr, …: a public mailbox, not a company's domain."""
    domain = domain.strip().lower().rstrip(".")
    if domain in FREE_MAIL_DOMAINS:
        return True
    return domain.split(".", 1)[0] in FREE_MAIL_BRANDS


def _clip(value: str) -> str:
    return value[:KEY_VALUE_MAX_LENGTH]


def distinctive_words(normalized_name: str) -> list[str]:
    """The words of a normalised name that tell it apart, in order (generic words left out)."""
    return [
        word
        for word in normalized_name.split()
        if word not in GENERIC_WORDS and (len(word) >= TOKEN_MIN_LENGTH or _CJK.search(word))
    ]


def name_keys(normalized_name: str) -> set[tuple[str, str]]:
    """The exact name key and the block keys of a normalised name."""
    if not normalized_name:
        return set()
    keys = {(NAME, _clip(normalized_name))}
    words = distinctive_words(normalized_name)
    for word in words[:TOKENS_PER_NAME]:
        if _CJK.search(word):
            pieces = [word[i : i + 2] for i in range(len(word) - 1)] or [word]
            keys.update((TOKEN, piece) for piece in pieces[:CJK_PIECES_PER_NAME])
        else:
            keys.add((TOKEN, _clip(word)))
    latin = [word for word in (words or normalized_name.split()) if not _CJK.search(word)]
    if len(latin) >= 2:
        group = f"{latin[0][:PREFIX_LETTERS]}|{latin[1][:PREFIX_LETTERS]}"
    elif latin:
        group = f"{latin[0][: PREFIX_LETTERS + 1]}|"
    else:
        group = f"{normalized_name[:2]}|"
    keys.add((PREFIX, _clip(f"{group}|{normalized_name}")))
    return keys


def blocking_key(key: tuple[str, str]) -> tuple[str, str]:
    """A key as two candidates share it: a prefix key cut to its group ("nor|leu")."""
    kind, value = key
    return (kind, value.rsplit("|", 1)[0]) if kind == PREFIX else key


def website_keys(website: str) -> set[tuple[str, str]]:
    host = website_domain(website)
    if "." not in host or host in PLATFORM_HOSTS or is_free_mail_domain(host):
        return set()
    return {(WEB, _clip(host)), (DOMAIN, _clip(host))}


def email_keys(email: str) -> set[tuple[str, str]]:
    address = unicodedata.normalize("NFKC", email).strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or " " in address:
        return set()
    keys = {(EMAIL, _clip(address))}
    if not is_free_mail_domain(domain):
        keys.add((DOMAIN, _clip(domain)))
    return keys


def phone_keys(phone: str, country: str = "") -> set[tuple[str, str]]:
    """E.164 when the number parses (with the company's country), else its digits; plus the last
    8 digits."""
    if not phone.strip():
        return set()
    try:
        e164 = phone_to_e164(phone[:40], country)
    except DomainError:
        digits = re.sub(r"\D", "", phone)
        e164 = f"+{digits}" if phone.strip().startswith("+") and digits else digits
    digits = re.sub(r"\D", "", e164)
    if len(digits) < 6:
        return set()
    keys = {(PHONE, e164)}
    if len(digits) >= PHONE_TAIL_DIGITS:
        keys.add((PHONE_TAIL, digits[-PHONE_TAIL_DIGITS:]))
    return keys


def keys_of(
    *,
    name: str = "",
    country: str = "",
    website: str = "",
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    normalized_name: str | None = None,
) -> set[tuple[str, str]]:
    """Every key of a company or candidate, from its name, website and contacts."""
    if normalized_name is None:
        normalized_name = normalize_company_name(name[:400])
    keys = name_keys(normalized_name) | website_keys(website[:400])
    for email in emails:
        keys |= email_keys(email[:400])
    for phone in phones:
        keys |= phone_keys(phone, country)
    return keys


def refresh_company_keys(company) -> None:
    """Rebuild the duplicate-check keys of one company after it or its contacts changed, then
    the company's possible-duplicate pairs."""
    from tradewind.customers.dedup.models import DedupKey
    from tradewind.customers.dedup.pairs import refresh_pairs

    contacts = list(company.contacts.values_list("email", "phone", "whatsapp"))
    wanted = keys_of(
        name=company.name,
        country=company.country,
        website=company.website,
        emails=[email for email, _phone, _whatsapp in contacts if email],
        phones=[number for _email, *numbers in contacts for number in numbers if number],
        normalized_name=company.name_normalized or None,
    )
    existing = {
        (kind, value): pk
        for pk, kind, value in DedupKey.objects.filter(company_id=company.pk).values_list(
            "pk", "kind", "value"
        )
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        DedupKey.objects.filter(pk__in=stale).delete()
    new = wanted - existing.keys()
    if new:
        DedupKey.objects.bulk_create(
            DedupKey(company_id=company.pk, kind=kind, value=value) for kind, value in sorted(new)
        )
    refresh_pairs(company.pk, wanted, company.country)
