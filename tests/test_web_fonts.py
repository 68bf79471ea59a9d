"""The web editions' fonts: each face cut by HarfBuzz to a page's characters, as WOFF.

Read back with fontTools: the subset maps every character asked for that the
face has, keeps the layout features scripts need and the licence, and is the
same bytes every time.
"""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont

from handouts.render.html.fonts import font_face_rules, subset_woff, web_faces

ARABIC = "توقف عن المشي فوراً واتصل بمعالجك"  # "stop walking at once and call your therapist"
CHINESE = "立即停止行走，并致电您的治疗师。"


def face(language: str, family: str):
    return next(f for f in web_faces(language) if f.family == family and f.style == "normal")


def read(data: bytes) -> TTFont:
    font = TTFont(io.BytesIO(data))
    assert font.flavor == "woff"
    return font


def feature_tags(font: TTFont) -> set[str]:
    return {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}


def test_an_arabic_subset_maps_the_text_and_keeps_its_joining_features():
    arabic = face("ar", "Noto Sans Arabic")
    font = read(subset_woff(arabic.path, arabic.index, frozenset(map(ord, ARABIC))))
    mapped = set(font.getBestCmap())
    assert {ord(ch) for ch in ARABIC if not ch.isspace()} <= mapped
    assert {"init", "medi", "fina", "rlig"} <= feature_tags(font)
    # the joining forms are glyphs no character maps to: the closure kept them
    assert len(font.getGlyphOrder()) > len(mapped) + 10
    assert font["name"].getDebugName(13)  # the licence travels with the font


def test_a_chinese_subset_is_small_and_maps_every_character():
    chinese = face("zh-Hans", "Noto Sans CJK SC")
    data = subset_woff(chinese.path, chinese.index, frozenset(map(ord, CHINESE)))
    assert len(data) < 60_000  # the whole face is megabytes
    assert {ord(ch) for ch in CHINESE} <= set(read(data).getBestCmap())


def test_a_face_without_the_pages_characters_is_left_out():
    latin = face("en", "Atkinson Hyperlegible")
    assert subset_woff(latin.path, latin.index, frozenset(map(ord, CHINESE))) is None
    rules, size = font_face_rules("zh-Hans", CHINESE)
    assert "Noto Sans CJK SC" in rules and "Atkinson" not in rules and size > 0


def test_the_same_page_gives_the_same_font_bytes():
    arabic = face("ar", "Noto Sans Arabic")
    wanted = frozenset(map(ord, ARABIC))
    first = subset_woff.__wrapped__(arabic.path, arabic.index, wanted)
    assert first == subset_woff.__wrapped__(arabic.path, arabic.index, wanted)


def test_harfbuzz_reads_the_characters_fonttools_reads():
    from handouts.assets.harfbuzz import code_points

    for language in ("en", "ar", "zh-Hans"):
        for each in web_faces(language):
            font = TTFont(str(each.path), fontNumber=each.index, lazy=True)
            assert code_points(each.path, each.index) == frozenset(font.getBestCmap())
            font.close()


def test_a_harfbuzz_too_old_to_cut_fonts_stops_the_build_with_what_to_install(
        runner, topic, monkeypatch):
    from conftest import run_build
    from handouts.assets import harfbuzz

    monkeypatch.setattr(harfbuzz, "NEEDED", (99, 0, 0))
    harfbuzz.unavailable.cache_clear()
    try:
        result = run_build(runner, "backwards-walking", "--out", "out", "--lang", "en")
    finally:
        harfbuzz.unavailable.cache_clear()
    assert result.exit_code == 1
    assert "HarfBuzz 99.0.0 or newer is needed to read and cut fonts" in result.output
    assert "libharfbuzz-subset0" in result.output and "Traceback" not in result.output
