import pytest

from geo.reference import load_reference
from geo.reference.places import CN_PROVINCES, fold


@pytest.fixture(scope="module")
def gazetteer():
    return load_reference().gazetteer


@pytest.fixture(scope="module")
def provinces():
    return load_reference().province_codes


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("P'yŏngan-bukto", "pyonganbukto"),
        ("Ji’an", "jian"),
        ("  JI - AN ", "jian"),
        ("Sinŭiju", "sinuiju"),
        ("신의주", "신의주"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Dandong", "cn-dandong"),
        ("DANDONG", "cn-dandong"),
        ("丹东市", "cn-dandong"),
        ("Ji'an", "cn-jian"),
        ("Ji’an", "cn-jian"),
        ("ji an", "cn-jian"),
        ("Jian", "cn-jian"),
        ("集安", "cn-jian"),
        ("Sinuiju", "kp-sinuiju"),
        ("Sinŭiju", "kp-sinuiju"),
        ("신의주", "kp-sinuiju"),
        ("Musan-ŭp", "kp-musan"),
        ("Chunggang", "kp-junggang"),
        ("Hoeryong", "kp-hoeryong"),
        ("Tumen", "cn-tumen"),
    ],
)
def test_resolves_listed_spellings(gazetteer, name, place_id):
    assert gazetteer.resolve(name) == place_id


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Dandon", "Dandong"),
        ("Sinuju", "Sinuiju"),
        ("Hyeasan", "Hyesan"),
        ("Kunming", None),
        ("", None),
    ],
)
def test_unknown_names_get_a_suggestion_when_one_is_close(gazetteer, name, suggestion):
    assert gazetteer.resolve(name) is None
    assert gazetteer.suggest(name) == suggestion


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CN-JL", "CN-JL"),
        ("cn-ln", "CN-LN"),
        ("Jilin", "CN-JL"),
        ("Liaoning Sheng", "CN-LN"),
        ("吉林", "CN-JL"),
        ("North Hamgyong", "KP-09"),
        ("Hamgyŏng-bukto", "KP-09"),
        ("함경북도", "KP-09"),
        ("Ryanggang", "KP-10"),
        ("Rason", "KP-13"),
        ("Beijing", "CN-BJ"),
        ("Inner Mongolia", "CN-NM"),
        ("CN-YN", "CN-YN"),
        ("KP-14", "KP-14"),
        ("KP-15", "KP-15"),
        ("CN-XX", None),
        ("KP-16", None),
    ],
)
def test_province_codes_and_names(provinces, text, code):
    assert provinces.resolve(text) == code


def test_all_34_chinese_codes_are_accepted(provinces):
    assert len(CN_PROVINCES) == 34
    assert set(CN_PROVINCES) <= provinces.codes
    assert {"CN-BJ", "CN-YN", "CN-GX", "CN-SD", "CN-HE", "CN-NM", "CN-HL", "CN-SH"} <= set(
        CN_PROVINCES
    )


def test_province_near_miss_is_suggested(provinces):
    assert provinces.resolve("Yanggang") is None
    assert provinces.suggest("Yanggang") == "Ryanggang"
