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
        # Korean names of the Chinese towns, South Korean and Sino-Korean (North Korean) forms
        ("단둥", "cn-dandong"), ("단동", "cn-dandong"), ("단동시", "cn-dandong"),
        ("훈춘", "cn-hunchun"), ("투먼", "cn-tumen"), ("도문", "cn-tumen"),
        ("창바이", "cn-changbai"), ("장백", "cn-changbai"), ("장백현", "cn-changbai"),
        ("지안", "cn-jian"), ("집안", "cn-jian"), ("린장", "cn-linjiang"), ("림강", "cn-linjiang"),
        ("난핑", "cn-nanping"), ("남평", "cn-nanping"), ("싼허", "cn-sanhe"), ("삼합", "cn-sanhe"),
        ("카이산툰", "cn-kaishantun"), ("개산툰", "cn-kaishantun"), ("옌지", "cn-yanji"),
        ("연길", "cn-yanji"), ("허룽", "cn-helong"), ("화룡", "cn-helong"),
        ("룽징", "cn-longjing"), ("룡정", "cn-longjing"), ("용정", "cn-longjing"),
        ("퉁화", "cn-tonghua"), ("통화", "cn-tonghua"), ("바이산", "cn-baishan"),
        ("백산", "cn-baishan"), ("선양", "cn-shenyang"), ("심양", "cn-shenyang"),
        ("창춘", "cn-changchun"), ("장춘", "cn-changchun"),
        # Chinese names of the North Korean towns (simplified; traditional ones resolve too)
        ("新义州", "kp-sinuiju"), ("满浦", "kp-manpo"), ("中江", "kp-junggang"),
        ("惠山", "kp-hyesan"), ("茂山", "kp-musan"), ("会宁", "kp-hoeryong"),
        ("會寧", "kp-hoeryong"), ("南阳", "kp-namyang"), ("稳城", "kp-onsong"),
        ("罗津", "kp-rajin"), ("先锋", "kp-sonbong"), ("三池渊", "kp-samjiyon"),
        ("义州", "kp-uiju"), ("清津", "kp-chongjin"), ("江界", "kp-kanggye"),
        ("平壤", "kp-pyongyang"), ("나진", "kp-rajin"),
        # Administrative suffixes, dropped when what remains is a known place
        ("图们市", "cn-tumen"), ("투먼시", "cn-tumen"), ("Tumen City", "cn-tumen"),
        ("Hunchun County", "cn-hunchun"), ("珲春市", "cn-hunchun"), ("무산군", "kp-musan"),
    ],  # fmt: skip
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
        # Korean and Chinese names, South and North Korean spellings
        ("양강도", "KP-10"), ("량강도", "KP-10"), ("两江道", "KP-10"), ("Yanggang", "KP-10"),
        ("자강도", "KP-04"), ("慈江道", "KP-04"), ("咸镜北道", "KP-09"),
        ("평안북도", "KP-03"), ("平安北道", "KP-03"), ("라선", "KP-13"), ("나선", "KP-13"),
        ("罗先", "KP-13"), ("지린성", "CN-JL"), ("길림성", "CN-JL"), ("吉林省", "CN-JL"),
        ("랴오닝성", "CN-LN"), ("료녕성", "CN-LN"), ("요녕성", "CN-LN"), ("辽宁", "CN-LN"),
        ("辽宁省", "CN-LN"), ("Jilin Province", "CN-JL"), ("North Hamgyong Province", "KP-09"),
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
    assert provinces.resolve("Ryangang") is None
    assert provinces.suggest("Ryangang") == "Ryanggang"


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("丹", None),  # a stem of one character is never a name
        ("吉林市", None),  # the city of Jilin is not in the gazetteer; the province is no place
        ("Tumenshi", "cn-tumen"),
        ("Jilin", None),
    ],
)
def test_a_suffix_is_dropped_only_when_a_known_place_remains(gazetteer, name, place_id):
    assert gazetteer.resolve(name) == place_id
