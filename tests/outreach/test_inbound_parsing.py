"""Reading incoming mail: headers, charsets, bodies, quotes and hostile input (no database)."""

import datetime as dt

from tests.outreach.mail_samples import mail, raw_mail
from tradewind.outreach.inbound.parsing import (
    MAX_BODY_CHARS,
    decode_charset,
    parse_message,
    strip_quoted,
    timeline_summary,
)


def test_a_plain_message_gives_sender_subject_ids_date_and_text():
    parsed = parse_message(
        mail(
            message_id="<m1@nordlicht.de>",
            in_reply_to="<out-7@exporter.example>",
            references="<out-1@exporter.example> <out-7@exporter.example>",
        )
    )
    assert parsed.from_email == "anna@nordlicht.de"
    assert parsed.from_name == "Anna Weber"
    assert parsed.subject == "Re: LED panels for Nordlicht"
    assert parsed.message_id == "<m1@nordlicht.de>"
    assert parsed.in_reply_to == "<out-7@exporter.example>"
    assert parsed.thread_ids == ("<out-7@exporter.example>", "<out-1@exporter.example>")
    assert parsed.sent_at == dt.datetime(2026, 3, 3, 8, 15, tzinfo=dt.UTC)
    assert "price list for 600x600 panels" in parsed.body_text
    assert parsed.is_automatic is False


def test_encoded_words_and_raw_utf8_headers_are_decoded():
    parsed = parse_message(
        raw_mail(
            "From: =?utf-8?B?5byg5LiJ?= <zhang@buyer.cn>\n"
            "Subject: =?gb2312?B?0a+82w==?= LED\n"
            "Message-ID: <x1@buyer.cn>\n"
            "Content-Type: text/plain; charset=utf-8\n",
            "你好，请报价。".encode(),
        )
    )
    assert parsed.from_name == "张三"
    assert parsed.subject == "询价 LED"
    assert parsed.body_text == "你好，请报价。"
    raw_header = parse_message(
        b"From: M\xc3\xbcller <m@buyer.de>\r\nSubject: Gr\xc3\xbc\xc3\x9fe\r\n\r\nhi"
    )
    assert raw_header.subject == "Grüße"
    assert raw_header.from_email == "m@buyer.de"


def test_gb2312_bodies_decode_as_gb18030_and_unknown_charsets_do_not_fail():
    text = "您好，我们需要报价单：𠮷"  # the last character is outside GB2312
    parsed = parse_message(
        raw_mail(
            "From: a@buyer.cn\nContent-Type: text/plain; charset=gb2312\n",
            text.encode("gb18030"),
        )
    )
    assert parsed.body_text == text
    broken = parse_message(
        raw_mail(
            "From: a@buyer.cn\nContent-Type: text/plain; charset=x-no-such-charset\n",
            "Grüße aus Köln".encode("latin-1"),
        )
    )
    assert broken.body_text == "Grüße aus Köln"
    mislabelled = "您好，我们需要报价单".encode("gb18030")
    assert decode_charset(mislabelled, "iso-8859-1-nonsense") == "您好，我们需要报价单"
    assert decode_charset("Здравствуйте, нужна цена".encode("cp1251"), None) == (
        "Здравствуйте, нужна цена"
    )
    assert decode_charset(b"\xff\xfe\xfa", "utf-8")  # never raises


def test_an_html_only_message_is_turned_into_text_without_scripts_or_styles():
    parsed = parse_message(
        mail(
            body=None,
            html=(
                "<html><head><style>p{color:red}</style></head><body>"
                "<script>alert('x')</script><p>Dear Lily,</p><p>we need <b>500 pcs</b>.</p>"
                "</body></html>"
            ),
        )
    )
    assert "Dear Lily," in parsed.body_text
    assert "we need 500 pcs." in parsed.body_text
    assert "alert" not in parsed.body_text and "color" not in parsed.body_text


def test_attachments_are_not_read_as_the_text():
    parsed = parse_message(mail(body="See the attached drawing.", attachment=b"%PDF-1.4 binary"))
    assert parsed.body_text == "See the attached drawing."


def test_a_huge_body_is_cut_and_nul_bytes_are_removed():
    body = ("A" * 1000 + "\n") * 3000  # 3 MB of text
    parsed = parse_message(mail(body=body + "\x00end"))
    assert len(parsed.body_text) == MAX_BODY_CHARS
    assert "\x00" not in parsed.body_text


def test_malformed_headers_give_empty_fields_instead_of_errors():
    parsed = parse_message(
        b"From: <<<not an address>>>\r\nDate: yesterday-ish\r\nMessage-ID: \r\n"
        b"Subject: =?utf-8?Q?broken=ZZ?=\r\nContent-Type: multipart/mixed\r\n\r\nno boundary"
    )
    assert parsed.from_email == ""
    assert parsed.sent_at is None
    assert parsed.message_id == ""
    assert parsed.subject  # kept as written rather than lost
    empty = parse_message(b"")
    assert empty.from_email == "" and empty.body_text == ""
    garbage = parse_message(bytes(range(256)) * 50)
    assert garbage.from_email == ""


def test_a_message_id_without_angle_brackets_is_still_read():
    parsed = parse_message(raw_mail("From: a@b.de\nIn-Reply-To: out-9@exporter.example\n", b"x"))
    assert parsed.in_reply_to == "<out-9@exporter.example>"


def test_the_sender_falls_back_to_reply_to_when_from_is_unusable():
    parsed = parse_message(raw_mail("From: Nobody\nReply-To: Real <real@buyer.de>\n", b"x"))
    assert (parsed.from_name, parsed.from_email) == ("Real", "real@buyer.de")


def test_quoted_history_is_stripped_from_the_reply():
    gmail = (
        "Yes, 500 pieces please.\n\n"
        "On Tue, 3 Mar 2026 at 09:00, Lily Zhang <lily@exporter.example>\n"
        "wrote:\n> Dear Anna,\n> here is our offer."
    )
    outlook = (
        "Thanks, price is fine.\n\nFrom: Lily Zhang <lily@exporter.example>\n"
        "Sent: Tuesday, March 3, 2026 9:00 AM\nTo: Anna\nSubject: offer\n\nDear Anna"
    )
    chinese = "好的，我们下单。\n\n在 2026年3月3日 09:00，Lily 写道：\n> 报价如下"
    original = "OK\n-----Original Message-----\nFrom: Lily\nour offer"
    assert strip_quoted(gmail) == "Yes, 500 pieces please."
    assert strip_quoted(outlook) == "Thanks, price is fine."
    assert strip_quoted(chinese) == "好的，我们下单。"
    assert strip_quoted(original) == "OK"
    assert strip_quoted("From: our office in Hamburg we ship daily.") == (
        "From: our office in Hamburg we ship daily."
    )


def test_the_timeline_summary_is_the_subject_and_the_first_lines_of_the_reply():
    summary = timeline_summary("Re: offer", "Yes, please.\n\nOn Mon, Lily wrote:\n> old")
    assert summary == "Re: offer — Yes, please."
    assert timeline_summary("", "", no_subject="(none)") == "(none)"
    assert len(timeline_summary("s", "word " * 1000)) < 700


def test_auto_replies_and_delivery_reports_are_flagged_automatic():
    assert parse_message(mail(headers={"Auto-Submitted": "auto-replied"})).is_automatic
    assert parse_message(mail(headers={"X-Autoreply": "yes"})).is_automatic
    assert parse_message(mail(sender="MAILER-DAEMON@mx.buyer.de")).is_automatic
    assert parse_message(mail(headers={"Precedence": "bulk"})).is_automatic
    assert not parse_message(mail(headers={"Auto-Submitted": "no"})).is_automatic


def test_text_with_lone_surrogates_or_nul_is_made_storable():
    parsed = parse_message(b"From: a@b.de\r\nSubject: x\x00y \xed\xa0\x80\r\n\r\nbody\x00")
    for text in (parsed.subject, parsed.body_text):
        text.encode("utf-8")  # would raise on a lone surrogate
        assert "\x00" not in text
