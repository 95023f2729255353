"""The words lead lists use for countries, lead sources and customer types, in English and Chinese,
mapped to our codes.

Countries: ISO alpha-2 and alpha-3 codes, pycountry's names (official and common), babel's names
in English and simplified Chinese, and the usual short forms (USA, UK, UAE, 阿联酋, 港, …);
compared case-, accent-, space- and punctuation-blind. Sources and customer types: the choice
values, their labels in both languages and common words; a value we do not know becomes
"other" and the original word is kept in the notes (nothing is dropped silently).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pycountry
from babel import Locale
from django.utils import translation

from tradewind.customers.choices import CustomerType, Source

COUNTRY_ALIASES = {
    "US": ["usa", "u.s.", "u.s.a.", "america", "united states of america", "美国", "美國"],
    "GB": ["uk", "u.k.", "great britain", "britain", "england", "scotland", "wales", "英国"],
    "AE": ["uae", "u.a.e.", "emirates", "阿联酋", "阿拉伯联合酋长国", "dubai", "迪拜"],
    "KR": ["korea", "south korea", "republic of korea", "韩国", "南韩"],
    "KP": ["north korea", "朝鲜"],
    "RU": ["russia", "russian federation", "俄罗斯", "俄国"],
    "VN": ["vietnam", "viet nam", "越南"],
    "TR": ["turkey", "türkiye", "turkiye", "土耳其"],
    "NL": ["holland", "the netherlands", "荷兰"],
    "CZ": ["czech republic", "czechia", "捷克"],
    "IR": ["iran", "伊朗"],
    "SY": ["syria", "叙利亚"],
    "TZ": ["tanzania", "坦桑尼亚"],
    "BO": ["bolivia", "玻利维亚"],
    "VE": ["venezuela", "委内瑞拉"],
    "LA": ["laos", "老挝"],
    "MD": ["moldova", "摩尔多瓦"],
    "CD": ["dr congo", "drc", "congo-kinshasa", "刚果金", "刚果（金）"],
    "CG": ["congo", "congo-brazzaville", "刚果布", "刚果（布）"],
    "CI": ["ivory coast", "cote d'ivoire", "科特迪瓦"],
    "HK": ["hong kong", "hongkong", "香港", "中国香港"],
    "MO": ["macau", "macao", "澳门", "中国澳门"],
    "TW": ["taiwan", "台湾", "中国台湾"],
    "CN": ["china", "prc", "mainland china", "中国", "中国大陆"],
    "SA": ["saudi", "ksa", "沙特", "沙特阿拉伯"],
    "DE": ["deutschland", "germany", "德国"],
    "MK": ["macedonia", "north macedonia", "北马其顿"],
    "PS": ["palestine", "巴勒斯坦"],
    "BN": ["brunei", "文莱"],
    # Names buyers write in their own language.
    "ES": ["españa", "espana"],
    "IT": ["italia"],
    "BR": ["brasil"],
    "MX": ["méxico"],
    "PL": ["polska"],
    "AT": ["österreich", "oesterreich"],
    "CH": ["schweiz", "suisse", "svizzera"],
    "JP": ["nippon", "日本国"],
}

SOURCE_WORDS = {
    Source.B2B: ["b2b", "alibaba", "alibaba.com", "阿里巴巴", "阿里", "made-in-china",
                 "made in china", "中国制造网", "global sources", "环球资源", "tradekey", "ec21",
                 "b2b平台", "平台"],
    Source.SEARCH: ["search", "google", "bing", "yandex", "谷歌", "搜索", "搜索引擎", "seo", "sem"],
    Source.SOCIAL: ["social", "linkedin", "facebook", "instagram", "twitter", "x", "tiktok",
                    "youtube", "whatsapp", "wechat", "领英", "脸书", "社媒", "社交媒体"],
    Source.TRADE_FAIR: ["trade fair", "fair", "exhibition", "expo", "canton fair", "展会", "广交会",
                        "展览会", "香港展"],
    Source.REFERRAL: ["referral", "referred", "recommendation", "introduction", "推荐", "介绍",
                      "转介绍", "老客户介绍", "客户介绍"],
    Source.WEBSITE: ["website", "our website", "web inquiry", "inquiry", "官网", "网站", "询盘",
                     "独立站"],
    Source.OTHER: ["other", "others", "其他", "其它"],
}  # fmt: skip

CUSTOMER_TYPE_WORDS = {
    CustomerType.IMPORTER: ["importer", "import", "进口商", "进口"],
    CustomerType.WHOLESALER: ["wholesaler", "wholesale", "distributor", "distribution", "dealer",
                              "批发商", "批发", "分销商", "经销商", "代理商", "代理"],
    CustomerType.RETAILER: ["retailer", "retail", "shop", "store", "chain store", "supermarket",
                            "零售商", "零售", "超市", "连锁店", "商超"],
    CustomerType.BRAND: ["brand", "brand owner", "oem", "品牌商", "品牌", "品牌方"],
    CustomerType.PROJECT: ["project", "project buyer", "contractor", "installer", "工程商",
                           "工程", "项目", "项目商", "承包商"],
    CustomerType.TRADER: ["trader", "trading", "trading company", "贸易商", "贸易公司", "中间商"],
    CustomerType.OTHER: ["other", "others", "其他", "其它"],
}  # fmt: skip


def fold(text: str) -> str:
    """Case, accents, spaces and punctuation removed, full-width folded: for comparing words."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", text)


@functools.cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    english = Locale.parse("en").territories
    chinese = Locale.parse("zh_Hans").territories
    for country in pycountry.countries:
        code = country.alpha_2
        names = [
            code,
            country.alpha_3,
            country.name,
            getattr(country, "official_name", ""),
            getattr(country, "common_name", ""),
            english.get(code, ""),
            chinese.get(code, ""),
        ]
        for name in names:
            if name:
                index.setdefault(fold(name), code)
    for code, aliases in COUNTRY_ALIASES.items():
        for alias in aliases:
            index[fold(alias)] = code
    return index


@functools.lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """The ISO alpha-2 code of a country written as a code or an English or Chinese name."""
    folded = fold(text)
    if not folded:
        return None
    return _country_index().get(folded)


def _choice_index(words: dict, choices) -> dict[str, str]:
    index: dict[str, str] = {}
    for value, label in choices.choices:
        index[fold(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                index[fold(str(label))] = value
    for value, synonyms in words.items():
        for word in synonyms:
            index.setdefault(fold(word), value)
    return index


@functools.cache
def _source_index() -> dict[str, str]:
    return _choice_index(SOURCE_WORDS, Source)


@functools.cache
def _customer_type_index() -> dict[str, str]:
    return _choice_index(CUSTOMER_TYPE_WORDS, CustomerType)


@functools.lru_cache(maxsize=4096)
def source_value(text: str) -> str | None:
    """Our lead source for a written one ("Alibaba", "广交会"), or None when unknown."""
    return _lookup(_source_index(), text)


@functools.lru_cache(maxsize=4096)
def customer_type_value(text: str) -> str | None:
    return _lookup(_customer_type_index(), text)


def _lookup(index: dict[str, str], text: str) -> str | None:
    folded = fold(text)
    if not folded:
        return None
    if folded in index:
        return index[folded]
    # "Alibaba RFQ", "广交会2024": a known word at the start decides.
    for word, value in index.items():
        if len(word) >= 3 and folded.startswith(word):
            return value
    return None
