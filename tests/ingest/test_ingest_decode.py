"""Decoding report bytes: BOMs, UTF-8, BOM-less UTF-16, cp1256, and the coded failures."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.errors import BinaryInputError, EmptyInputError, EncodingInputError
from ahdath.ingest import decode_bytes

REPORT = ("قُتل مدنيان وأُصيب ثلاثة آخرون بقصف مدفعي لقوات النظام على بلدة كفرنبل، "
          "صباح اليوم الأحد ١٤ أيار، وفق ما أفاد مراسل محلي.\nوأضاف أن القصف طال المدرسة.")
# cp1256 has no Arabic-Indic digits: Windows-era reports wrote ASCII ones
REPORT_1256 = REPORT.replace("١٤", "14")
SHORT = "غارة جوية على معرة النعمان"  # short, no ASCII at all except spaces


# DOS Arabic (cp720) has neither the Arabic comma nor Arabic-Indic digits nor damma: DOS reports used ASCII ones.
REPORT_720 = REPORT_1256.replace("،", ",").replace("ُ", "")
LONG_ISO = ("قالت مصادر محلية إن طائرة مسيرة استهدفت سيارة على طريق حلب دمشق الدولي قرب سراقب، "
            "وأدى القصف إلى مقتل شخصين كانا فيها، ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1256"])
@pytest.mark.parametrize("text", [REPORT_1256, SHORT])
def test_decode_roundtrip_in_every_supported_encoding(encoding: str, text: str) -> None:
    assert decode_bytes(text.encode(encoding), "r.txt") == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_decode_one_word_in_a_unicode_encoding(encoding: str) -> None:
    assert decode_bytes("مرحبا".encode(encoding), "r.txt") == "مرحبا"


@pytest.mark.parametrize("encoding, text", [
    ("iso8859_6", REPORT_1256), ("iso8859_6", LONG_ISO), ("iso8859_6", SHORT),
    ("cp720", REPORT_720), ("cp720", LONG_ISO.replace("،", ",")),
    ("cp1256", LONG_ISO),
])
def test_decode_arabic_code_pages_by_byte_statistics(encoding: str, text: str) -> None:
    assert decode_bytes(text.encode(encoding), "r.txt") == text


@pytest.mark.parametrize("encoding, text", [
    ("iso8859_6", "مرحبا"),  # كرحبا in cp1256: both Arabic words
    ("cp1256", "مرحبا"),
    ("iso8859_6", "بلدة كفرنبل صباح"),  # three words: too few letters to choose
    ("cp720", "كلب"),
])
def test_decode_uncertain_code_page_is_e103_naming_the_file(encoding: str, text: str) -> None:
    with pytest.raises(EncodingInputError) as info:
        decode_bytes(text.encode(encoding), "old/report.txt")
    line = str(info.value)
    assert line.startswith("old/report.txt: [E103] encoding uncertain") and "\n" not in line


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(LONG_ISO.replace("،", "").replace(".", "").split()), min_size=8, max_size=40),
       st.sampled_from(["cp1256", "iso8859_6", "cp720"]))
def test_decode_code_pages_never_give_mojibake(words: list[str], encoding: str) -> None:
    text = " ".join(words)
    try:
        assert decode_bytes(text.encode(encoding), "h.txt") == text
    except EncodingInputError as exc:
        assert "uncertain" in exc.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be", "utf-32"])
def test_decode_keeps_arabic_indic_digits(encoding: str) -> None:
    assert decode_bytes(REPORT.encode(encoding), "r.txt") == REPORT


def test_decode_utf16_without_any_ascii_is_not_taken_for_binary() -> None:
    # Arabic-only UTF-16LE has no NUL byte but is full of 0x06 control bytes
    data = "هجومعلىحاجز".encode("utf-16-le")
    assert b"\x00" not in data
    assert decode_bytes(data, "r.txt") == "هجومعلىحاجز"


def test_decode_prefers_declared_charset_when_utf8_fails() -> None:
    data = REPORT_1256.encode("cp1256")
    assert decode_bytes(data, "page.html", declared="windows-1256") == REPORT_1256


def test_decode_keeps_utf8_with_one_truncated_character() -> None:
    data = (REPORT * 3 + " المدرسة").encode("utf-8")[:-1]
    text = decode_bytes(data, "r.txt")
    assert text.startswith(REPORT) and text.endswith("\ufffd")


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n", "\ufeff  \n".encode("utf-8"), "  ".encode("utf-16")])
def test_decode_empty_or_whitespace_is_e101(data: bytes) -> None:
    with pytest.raises(EmptyInputError) as info:
        decode_bytes(data, "empty.txt")
    assert info.value.code == "E101" and "empty.txt" in str(info.value)


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 64,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)),
    bytes(range(1, 32)) * 40,
])
def test_decode_binary_is_e102(data: bytes) -> None:
    with pytest.raises(BinaryInputError) as info:
        decode_bytes(data, "img.txt")
    assert info.value.code == "E102"


@pytest.mark.parametrize("data", [
    bytes(range(0x80, 0x100)) * 16,  # high bytes without any word structure
    "Le café était fermé à Genève, où l'été dure peu".encode("latin-1"),
    REPORT.encode("utf-8")[1::2] + b"\xc3\x28\xa0\xa1" * 50,  # shredded UTF-8
])
def test_decode_undecodable_is_e103(data: bytes) -> None:
    with pytest.raises(EncodingInputError) as info:
        decode_bytes(data, "bad.txt")
    assert info.value.code == "E103" and "bad.txt" in str(info.value)


def test_decode_bad_bytes_after_a_bom_is_e103() -> None:
    with pytest.raises(EncodingInputError):
        decode_bytes(codecs.BOM_UTF8 + b"\xff\xfe\xfa abc", "bom.txt")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A) | st.sampled_from(" \n،.0123456789"),
               min_size=1, max_size=200).filter(lambda s: s.strip()))
def test_decode_any_arabic_text_roundtrips_through_utf8_and_utf16(text: str) -> None:
    assert decode_bytes(text.encode("utf-8"), "h.txt") == text
    assert decode_bytes(text.encode("utf-16"), "h.txt") == text


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_decode_arbitrary_bytes_give_text_or_a_coded_error(data: bytes) -> None:
    try:
        assert isinstance(decode_bytes(data, "fuzz"), str)
    except (EmptyInputError, BinaryInputError, EncodingInputError):
        pass
