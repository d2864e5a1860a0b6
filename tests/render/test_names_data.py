"""Korean and Chinese names of the shipped places, provinces and sectors, and on the map."""

import json
import re

import pytest

from geo.pipeline import build_view
from geo.reference import load_reference
from geo.reference.places import OTHER_PROVINCES
from geo.view import ViewParams
from i18n import _, language
from render.names import local_name, province_names
from render.webmap.build import build_map
from render.webmap.layers.places import PlaceLabels
from tests.factories import make_events

#: Japanese shinjitai that are not simplified Chinese; the simplified forms, in order:
#: 惠泽广壤县齐边滨关团步发驿剑铁渊满稳龙亚.
JAPANESE_ONLY = set("恵沢広壌県斉辺浜関団歩発駅剣鉄渕満穏竜亜")
#: Traditional forms whose simplified form differs (東→东, 寧→宁, 會→会, 義→义, 滿→满 …).
TRADITIONAL = set("東寧會義滿穩鏡兩羅陽圖門龍長臨淵鋒慶遼瀋黃濱邊縣區鎮渾琿開與")
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
HAN = re.compile(r"[\u4e00-\u9fff]+")
#: Administrative suffixes a place label must not end with.
KO_PLACE_SUFFIXES = ("시", "군", "읍", "구", "면", "리", "도")
ZH_PLACE_SUFFIXES = ("市", "县", "镇", "区", "乡", "郡", "邑", "道")

REFERENCE = load_reference()
PLACES = REFERENCE.places.to_dict("records")
PROVINCES = REFERENCE.provinces.drop(columns="geometry").to_dict("records")
SECTORS = REFERENCE.sectors.drop(columns=["geometry", "buffer"]).to_dict("records")
ALL_ROWS = [
    *((r["place_id"], r) for r in PLACES),
    *((r["iso_3166_2"], r) for r in PROVINCES),
    *((r["sector_id"], r) for r in SECTORS),
]


def test_counts():
    assert (len(PLACES), len(PROVINCES), len(SECTORS)) == (33, 14, 6)


@pytest.mark.parametrize(("key", "row"), ALL_ROWS, ids=[k for k, _ in ALL_ROWS])
def test_every_row_has_korean_and_chinese_names_in_their_scripts(key, row):
    ko, zh = row["name_ko"], row["name_zh"]
    assert HANGUL.fullmatch(ko.replace("–", "")), (key, ko)  # Hangul only, no space, no Latin
    assert HAN.fullmatch(zh.replace("–", "")), (key, zh)
    assert not set(zh) & JAPANESE_ONLY, (key, zh)
    assert not set(zh) & TRADITIONAL, (key, zh)


def test_the_character_lists_catch_what_geonames_lists():
    # GeoNames gives Hyesan as 恵山市 and Pyongyang as 平壌 (Japanese forms)
    assert set("恵山市") & JAPANESE_ONLY and set("平壌") & JAPANESE_ONLY
    assert set("新義州市") & TRADITIONAL and set("丹東") & TRADITIONAL


@pytest.mark.parametrize("row", PLACES, ids=[r["place_id"] for r in PLACES])
def test_place_labels_carry_no_administrative_suffix(row):
    assert not row["name_ko"].endswith(KO_PLACE_SUFFIXES), row["name_ko"]
    assert not row["name_zh"].endswith(ZH_PLACE_SUFFIXES), row["name_zh"]


def test_province_labels_are_the_press_names():
    ko = {r["iso_3166_2"]: r["name_ko"] for r in PROVINCES}
    zh = {r["iso_3166_2"]: r["name_zh"] for r in PROVINCES}
    # Province names keep 성/도 (省/道), part of the name; cities never 시/市 (data/README.md)
    codes = ("CN-JL", "CN-LN", "KP-10", "KP-09")
    assert [ko[c] for c in codes] == ["지린성", "랴오닝성", "양강도", "함경북도"]
    assert [zh[c] for c in codes] == ["吉林省", "辽宁省", "两江道", "咸镜北道"]
    assert (ko["KP-01"], ko["KP-13"], zh["KP-01"], zh["KP-13"]) == ("평양", "나선", "平壤", "罗先")
    assert not any(name.endswith("시") for name in ko.values())
    assert not any(name.endswith("市") for name in zh.values())


def test_north_korean_spelling_stays_matchable():
    rajin = next(r for r in PLACES if r["place_id"] == "kp-rajin")
    assert (rajin["name_ko"], rajin["name_local"]) == ("나진", "라진")
    ryanggang = next(r for r in PROVINCES if r["iso_3166_2"] == "KP-10")
    assert ryanggang["name_local"] == "량강도" and "양강도" in ryanggang["name_alt"].split("|")


@pytest.mark.parametrize("row", PLACES, ids=[r["place_id"] for r in PLACES])
def test_display_names_resolve_as_input(row):
    gazetteer = REFERENCE.gazetteer
    assert gazetteer.resolve(row["name_ko"]) == row["place_id"]
    assert gazetteer.resolve(row["name_zh"]) == row["place_id"]


def test_province_display_names_resolve_as_input():
    codes = REFERENCE.province_codes
    for row in PROVINCES:
        assert codes.resolve(row["name_ko"]) == row["iso_3166_2"]
        assert codes.resolve(row["name_zh"]) == row["iso_3166_2"]


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_map_labels_every_place_in_the_language(lang):
    events = make_events([{"event_id": "e", "date_start": "2024-04-26", "count_best": 60,
                           "lat": 40.12917, "lon": 124.39472, "provinces": "CN-LN",
                           "place_ids": "cn-dandong"}])  # fmt: skip
    m = build_map(build_view(events, ViewParams(lang=lang)), REFERENCE)
    layer = next(c for c in m._children.values() if isinstance(c, PlaceLabels))
    labels = [p[2] for p in layer.places]
    assert labels == [local_name(r, lang) for r in PLACES]
    assert labels == [r[f"name_{lang}"] for r in PLACES]
    html = m.get_root().render()
    for label in labels:
        assert json.dumps(label, ensure_ascii=False) in html
    for wrong in ("단둥 시", "혜산시", "丹东市", "恵山", "惠山市"):
        assert json.dumps(wrong, ensure_ascii=False) not in html


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_border_sectors_are_named_in_the_language(lang):
    events = make_events([{"event_id": "e", "date_start": "2024-04-26", "count_best": 60,
                           "provinces": "CN-LN"}])  # fmt: skip
    html = build_map(build_view(events, ViewParams(lang=lang)), REFERENCE).get_root().render()
    with language(lang):  # the tooltip's words are the language's too (webmap catalogue)
        head = _("Border sector {name} ({km} km)").split("{km}")[0]
    for name in REFERENCE.sectors[f"name_{lang}"]:
        assert head.format(name=name) in html
    for name in REFERENCE.sectors["name_en"]:
        assert head.format(name=name) not in html
        assert f"Border sector {name} (" not in html


@pytest.mark.parametrize("row", OTHER_PROVINCES, ids=[r["iso_3166_2"] for r in OTHER_PROVINCES])
def test_provinces_without_a_shape_are_named_in_every_language(row):
    """Beijing, Inner Mongolia, Namp'o: named in Korean and Chinese, and read as input."""
    ko, zh = row["name_ko"], row["name_zh"]
    assert HANGUL.search(ko) and not re.search("[A-Za-z]", ko), ko
    assert HAN.fullmatch(zh) and not set(zh) & (JAPANESE_ONLY | TRADITIONAL), zh
    codes = REFERENCE.province_codes
    assert codes.resolve(zh) == codes.resolve(ko) == row["iso_3166_2"]
    for lang in ("ko", "zh"):
        assert province_names(REFERENCE.provinces, lang)[row["iso_3166_2"]] in (ko, zh)


def test_every_chinese_province_code_is_named():
    assert len([r for r in OTHER_PROVINCES if r["iso_3166_2"].startswith("CN-")]) == 34
