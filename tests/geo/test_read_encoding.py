"""geo.read encodings: BOMs, UTF-8, Korean vs Chinese legacy encodings, Latin-1, refusals."""

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.errors import InputFileError
from geo.read import read_table
from geo.read.encoding import detect_encoding

KOREAN = "중국 단둥에서 강제북송된 탈북민은 약 600명이라고 밝혔다"
CHINESE = "中国在丹东强制遣返朝鲜人，据报道约600人"
KOREAN_PLACES = ["단둥", "회령", "신의주", "혜산", "무산", "온성", "도문", "훈춘", "강제북송"]
CHINESE_PLACES = ["丹东", "图们", "延吉", "长白", "集安"]
CHINESE_PLACES += ["珲春", "和龙", "龙井", "沈阳", "中国丹东市"]


def csv_bytes(text: str, encoding: str) -> bytes:
    return f"event_id,location_text,notes\ne1,{text},N/A\n".encode(encoding)


def location(table):
    return table.frame.loc[0, "location_text"]


class TestUnicode:
    @pytest.mark.parametrize(
        ("encoding", "reported"),
        [
            ("utf-8", "utf-8"),
            ("utf-8-sig", "utf-8-sig"),
            ("utf-16", "utf-16"),
            ("utf-16-le", "utf-16"),
            ("utf-16-be", "utf-16"),
            ("utf-32", "utf-32"),
        ],
    )
    def test_unicode_encodings(self, encoding, reported):
        data = csv_bytes(KOREAN + " " + CHINESE, encoding)
        if encoding in ("utf-16-le", "utf-16-be"):
            bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
            data = bom + data
        table = read_table(data, "a.csv")
        assert table.encoding == reported
        assert list(table.frame.columns) == ["event_id", "location_text", "notes", "row"]
        assert location(table) == KOREAN + " " + CHINESE
        assert table.problems == []

    def test_bom_but_invalid(self):
        with pytest.raises(InputFileError, match="byte-order mark"):
            read_table(codecs.BOM_UTF8 + b"a,b\n\xff\xfe\xfa\n", "a.csv")

    def test_utf16_without_bom_is_refused(self):
        with pytest.raises(InputFileError, match="NUL bytes"):
            read_table("a,b\n1,2\n".encode("utf-16-le"), "a.csv")


class TestKoreanAndChinese:
    @pytest.mark.parametrize("encoding", ["cp949", "euc-kr"])
    def test_korean_sentence(self, encoding):
        table = read_table(csv_bytes(KOREAN, encoding), "a.csv")
        assert table.encoding == "cp949"
        assert location(table) == KOREAN
        assert table.problems == []

    @pytest.mark.parametrize("encoding", ["gb18030", "gbk", "gb2312"])
    def test_chinese_sentence(self, encoding):
        table = read_table(csv_bytes(CHINESE, encoding), "a.csv")
        assert table.encoding == "gb18030"
        assert location(table) == CHINESE
        assert table.problems == []

    @pytest.mark.parametrize(
        "text",
        [
            "탈북민 강제북송 중단을 촉구했다",
            "함경북도 회령시 인근에서 체포되었다",
            "양강도 혜산시",
            "두만강을 건너다 체포",
            "북한인권정보센터",
        ],
    )
    def test_more_korean_text(self, text):
        table = read_table(csv_bytes(text, "cp949"), "a.csv")
        assert (table.encoding, location(table), table.problems) == ("cp949", text, [])

    @pytest.mark.parametrize(
        "text",
        [
            "吉林省图们市边防检查站",
            "辽宁省丹东市公安局",
            "据报道约有五百多人被遣返",
            "延边朝鲜族自治州",
        ],
    )
    def test_more_chinese_text(self, text):
        table = read_table(csv_bytes(text, "gb18030"), "a.csv")
        assert (table.encoding, location(table), table.problems) == ("gb18030", text, [])

    def test_chinese_sentence_from_the_brief(self):
        found = detect_encoding("丹东 强制遣返 朝鲜人".encode("gb18030"))
        assert found.encoding == "gb18030"

    def test_korean_sentence_from_the_brief(self):
        found = detect_encoding("중국 단둥에서 강제북송".encode("cp949"))
        assert found.encoding == "cp949"

    @pytest.mark.parametrize("name", KOREAN_PLACES)
    def test_short_korean_place_names(self, name):
        table = read_table(csv_bytes(name, "cp949"), "a.csv")
        assert (table.encoding, location(table)) == ("cp949", name)

    @pytest.mark.parametrize("name", CHINESE_PLACES)
    def test_short_chinese_place_names(self, name):
        table = read_table(csv_bytes(name, "gb18030"), "a.csv")
        assert (table.encoding, location(table)) == ("gb18030", name)

    def test_little_text_comes_with_a_warning(self):
        table = read_table(csv_bytes("단둥", "cp949"), "a.csv")
        [problem] = table.problems
        assert (problem.row, problem.severity) == (0, "warning")
        assert "read as Korean (CP949)" in problem.message
        assert "save the file as UTF-8" in problem.message

    def test_chinese_text_that_is_invalid_cp949_needs_no_guess(self):
        # 丹东 in GB18030 is valid CP949 too, but a traditional character makes CP949 fail.
        data = csv_bytes("丹东 鴨綠江", "gb18030")
        with pytest.raises(UnicodeDecodeError):
            data.decode("cp949")
        table = read_table(data, "a.csv")
        assert (table.encoding, location(table)) == ("gb18030", "丹东 鴨綠江")
        [problem] = table.problems  # traditional characters are uncommon in GB18030 files
        assert "many of its characters are uncommon" in problem.message

    def test_big5_is_not_silently_garbled(self):
        data = csv_bytes("臺灣 鴨綠江 遣返", "big5")
        table = read_table(data, "a.csv")
        assert location(table) != "臺灣 鴨綠江 遣返"
        assert "Big5" in table.problems[0].message

    def test_many_rows_of_mixed_place_names(self):
        lines = [f"e{i},{name}" for i, name in enumerate(KOREAN_PLACES * 20)]
        data = ("event_id,place_names\n" + "\n".join(lines) + "\n").encode("cp949")
        table = read_table(data, "a.csv")
        assert table.encoding == "cp949"
        assert table.frame["place_names"].tolist() == KOREAN_PLACES * 20
        assert table.problems == []


class TestWestern:
    def test_latin1(self):
        text = "Sécurité, Zürich, naïve"
        table = read_table(f'id,note\n1,"{text}"\n'.encode("latin-1"), "a.csv")
        assert (table.encoding, table.frame.loc[0, "note"]) == ("latin-1", text)

    def test_cp1252_quotes_and_euro(self):
        text = "“about 60” – €5"
        table = read_table(f"id,note\n1,{text}\n".encode("cp1252"), "a.csv")
        assert (table.encoding, table.frame.loc[0, "note"]) == ("cp1252", text)

    def test_plain_ascii_is_utf8(self):
        assert detect_encoding(b"a,b\n1,2\n").encoding == "utf-8"


class TestRefused:
    @pytest.mark.parametrize(
        "data",
        [
            b"a,b\n\x81\x00\x02\x03",
            bytes(range(256)) * 4,
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        ],
    )
    def test_binary_is_refused_with_what_is_accepted(self, data):
        with pytest.raises(InputFileError) as info:
            read_table(data, "a.csv")
        problem = info.value.problem
        assert (problem.row, problem.column, problem.severity) == (0, "", "error")
        assert "Save the file as UTF-8" in problem.message
        assert "CP949/EUC-KR" in problem.message

    def test_a_stray_control_character_is_kept(self):
        table = read_table(b"id,note\n1,page\x0cbreak " + b"x" * 200 + b"\n", "a.csv")
        assert table.frame.loc[0, "note"].startswith("page\x0cbreak")


def _python_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


#: Valid: ASCII, CJK, the last before the surrogates, private use, U+FFFF, U+10FFFF. Invalid:
#: a surrogate, overlong forms, past U+10FFFF, F5 and 5-byte leads, cut short, stray bytes.
UTF8_EDGES = [b"", b"abc", "丹东 단둥".encode(), b"\xed\x9f\xbf", b"\xee\x80\x80",
              b"\xef\xbf\xbf", b"\xf4\x8f\xbf\xbf", b"\xed\xa0\x80", b"\xc0\xaf",
              b"\xe0\x80\xaf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80",
              b"\xf8\x88\x80\x80\x80", b"abc\xe4\xb8", b"\xff", b"\x80a"]  # fmt: skip


@pytest.mark.parametrize("data", UTF8_EDGES)
def test_the_arrow_utf8_check_decides_as_python_does(data):
    from geo.read.encoding import _valid_utf8

    assert _valid_utf8(data) == _python_utf8(data)


@given(st.binary(max_size=12) | st.text(max_size=6).map(lambda s: s.encode("utf-8")))
def test_the_arrow_utf8_check_decides_as_python_does_on_any_bytes(data):
    from geo.read.encoding import _valid_utf8

    assert _valid_utf8(data) == _python_utf8(data)
