"""Which column of a lead list holds which field: automatic for the usual Chinese and English
headers, corrected by the user on the preview page.

Rules and judgement calls:
- Headers are compared case-, space- and punctuation-blind ("E-mail" = "email", "公司名称 " =
  "公司名称"). A header matches a field when it equals one of the field's names, else when it
  ends with one ("Contact Email", "联系人邮箱" → email), else when it starts with one
  ("Company Name (EN)" → company name). Longer names win.
- Each field takes one column; when two columns claim it, the first one wins and the other stays
  unmapped for the user to decide. A column without a header match whose sample values are
  mostly email addresses (or web addresses) is mapped to email (website).
- The header row is the row among the first ten with the most recognised headers (some sheets
  start with a title row); a file needs a company name or an email column to be imported.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewind.core.errors import DomainError
from tradewind.customers.imports.vocabulary import fold

HEADER_SEARCH_ROWS = 10
SNIFF_SHARE = 0.8
EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
WEB_LIKE = re.compile(r"^(https?://)?(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/\S*)?$", re.I)


@dataclass(frozen=True)
class ImportField:
    key: str
    label: Promise
    group: str  # "company" or "contact"
    names: tuple[str, ...]


FIELDS = (
    ImportField("name", gettext_lazy("Company name"), "company", (
        "company", "company name", "companyname", "company full name", "customer",
        "customer name", "client", "client name", "account", "account name", "organization",
        "organisation", "business name", "buyer", "buyer name", "importer", "firm", "firma",
        "firmenname", "société", "societe", "empresa", "ragione sociale", "公司", "公司名称",
        "公司名", "公司全称", "客户名称", "客户", "客户名", "客户公司", "企业名称", "企业",
        "单位名称", "买家", "买家公司", "采购商",
    )),
    ImportField("country", gettext_lazy("Country"), "company", (
        "country", "country name", "country/region", "country or region", "country code",
        "nation", "land", "pays", "país", "pais", "国家", "国家/地区", "国家地区", "国别",
        "所在国家",
    )),
    ImportField("website", gettext_lazy("Website"), "company", (
        "website", "web site", "web", "url", "homepage", "home page", "site", "www", "domain",
        "company website", "网址", "网站", "公司网址", "公司网站", "官网", "主页", "域名",
    )),
    ImportField("address", gettext_lazy("Address"), "company", (
        "address", "street", "street address", "company address", "addr", "adresse",
        "dirección", "地址", "公司地址", "详细地址",
    )),
    ImportField("customer_type", gettext_lazy("Customer type"), "company", (
        "type", "customer type", "company type", "business type", "buyer type", "category",
        "客户类型", "类型", "公司类型", "客户类别", "买家类型",
    )),
    ImportField("source", gettext_lazy("Source"), "company", (
        "source", "lead source", "channel", "origin", "来源", "客户来源", "线索来源", "渠道",
        "获客渠道",
    )),
    ImportField("products_of_interest", gettext_lazy("Products of interest"), "company", (
        "products", "product", "products of interest", "interested products", "interest",
        "main products", "需求产品", "产品", "感兴趣产品", "意向产品", "主营产品", "采购产品",
    )),
    ImportField("tags", gettext_lazy("Tags"), "company", (
        "tags", "tag", "labels", "label", "keywords", "标签", "关键词",
    )),
    ImportField("notes", gettext_lazy("Notes"), "company", (
        "notes", "note", "remark", "remarks", "comment", "comments", "memo", "description",
        "备注", "说明", "描述", "备注信息",
    )),
    ImportField("contact_name", gettext_lazy("Contact name"), "contact", (
        "contact", "contact name", "contact person", "name", "full name", "person", "first name",
        "ansprechpartner", "联系人", "联系人姓名", "姓名", "名字", "联络人",
    )),
    ImportField("title", gettext_lazy("Job title"), "contact", (
        "title", "job title", "position", "role", "designation", "job", "职位", "职务", "头衔",
        "岗位",
    )),
    ImportField("email", gettext_lazy("Email"), "contact", (
        "email", "e-mail", "mail", "email address", "e-mail address", "emails", "邮箱", "电子邮件",
        "电子邮箱", "邮件", "邮箱地址", "email地址",
    )),
    ImportField("phone", gettext_lazy("Phone"), "contact", (
        "phone", "tel", "telephone", "phone number", "tel no", "telefon", "téléphone", "teléfono",
        "电话", "联系电话", "电话号码", "座机", "固话", "公司电话",
    )),
    ImportField("mobile", gettext_lazy("Mobile"), "contact", (
        "mobile", "mobile phone", "cell", "cellphone", "cell phone", "handy", "手机", "手机号",
        "手机号码", "移动电话",
    )),
    ImportField("whatsapp", gettext_lazy("WhatsApp"), "contact", (
        "whatsapp", "whats app", "wa", "whatsapp number", "瓦次普",
    )),
    ImportField("linkedin", gettext_lazy("LinkedIn"), "contact", (
        "linkedin", "linkedin url", "linkedin profile", "领英",
    )),
)  # fmt: skip
FIELDS_BY_KEY = {field.key: field for field in FIELDS}
REQUIRED_ANY = ("name", "email")


@functools.cache
def _names() -> list[tuple[str, str]]:
    """(folded name, field key), longest first."""
    pairs = {(fold(name), field.key) for field in FIELDS for name in field.names if fold(name)}
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def field_for_header(header: str) -> str | None:
    folded = fold(header)
    if not folded:
        return None
    names = _names()
    for name, key in names:
        if folded == name:
            return key
    for test in (folded.endswith, folded.startswith):
        for name, key in names:
            if len(name) >= 2 and test(name):
                return key
    return None


def header_score(cells: list[str]) -> int:
    return len({key for key in map(field_for_header, cells) if key})


def find_header_row(rows: list[list[str]]) -> int:
    """The 0-based index of the header among the first rows (0 when nothing is recognised)."""
    best_index, best_score = 0, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score(row)
        if score > best_score:
            best_index, best_score = index, score
    return best_index


def guess_mapping(headers: list[str], sample: list[list[str]]) -> dict[int, str]:
    """{column index: field key} for the columns we recognise."""
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = field_for_header(header)
        if key and key not in mapping.values():
            mapping[index] = key
    for key, pattern in (("email", EMAIL_LIKE), ("website", WEB_LIKE)):
        if key in mapping.values():
            continue
        for index in range(len(headers)):
            if index not in mapping and _mostly(sample, index, pattern):
                mapping[index] = key
                break
    return mapping


def _mostly(sample: list[list[str]], index: int, pattern: re.Pattern) -> bool:
    values = [row[index] for row in sample if index < len(row) and row[index]]
    if not values:
        return False
    return sum(1 for value in values if pattern.match(value)) / len(values) >= SNIFF_SHARE


def check_mapping(mapping: dict[int, str], column_count: int) -> dict[int, str]:
    """The mapping cleaned of ignored columns; a clear error when it cannot import anything."""
    cleaned = {int(index): key for index, key in mapping.items() if key}
    unknown = sorted({key for key in cleaned.values() if key not in FIELDS_BY_KEY})
    if unknown:
        raise DomainError(_("Unknown fields: %(keys)s.") % {"keys": ", ".join(unknown)})
    if any(index < 0 or index >= column_count for index in cleaned):
        raise DomainError(_("The mapping names a column the file does not have."))
    taken: dict[str, int] = {}
    for index, key in sorted(cleaned.items()):
        if key in taken:
            raise DomainError(
                _("“%(field)s” is chosen for two columns (%(first)s and %(second)s); pick one.")
                % {
                    "field": FIELDS_BY_KEY[key].label,
                    "first": column_letter(taken[key]),
                    "second": column_letter(index),
                }
            )
        taken[key] = index
    if not any(key in taken for key in REQUIRED_ANY):
        raise DomainError(
            _(
                "Choose the column with the company name or the one with the email address: "
                "a customer needs at least one of them."
            )
        )
    return cleaned


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names the column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def describe_known_headers() -> str:
    return (
        "公司名称 / Company, 联系人 / Contact, 邮箱 / Email, 电话 / Phone, 国家 / Country, "
        "网址 / Website"
    )
