from __future__ import annotations

from datetime import date

import pytest

from i18n_checks import english_left_on
from sinergi.i18n import (
    Language,
    format_date,
    format_idr,
    format_number,
    format_percent_value,
    gettext,
    parse_language,
)
from sinergi.i18n.catalogue import untranslated


def test_every_marked_message_is_in_both_catalogues_and_translated_to_indonesian() -> None:
    assert untranslated(Language.id) == []
    assert untranslated(Language.en) == []


def test_indonesian_numbers_use_dot_thousands_and_comma_decimals() -> None:
    assert format_number(1234567.8, "id", 1) == "1.234.567,8"
    assert format_number(1234567.8, "en", 1) == "1,234,567.8"
    assert format_percent_value(0.7, "id") == "70%"


def test_rupiah_is_written_without_decimals_the_indonesian_way() -> None:
    assert format_idr(7_000_000, "id") == "Rp7.000.000"


def test_dates_use_indonesian_month_names() -> None:
    assert format_date(date(2026, 2, 18), "id") == "18 Februari 2026"


@pytest.mark.parametrize("code", ["id", "ID", "id-ID", "id_ID"])
def test_language_codes_from_browsers_and_forms_are_understood(code: str) -> None:
    assert parse_language(code) is Language.id


def test_an_unknown_language_names_the_choices() -> None:
    with pytest.raises(ValueError, match="choose id"):
        parse_language("fr")


def test_translation_falls_back_to_english_source_text() -> None:
    assert gettext("en", "illustrative") == "illustrative"
    assert gettext("id", "illustrative") == "ilustratif"


def test_the_english_detector_finds_a_catalogue_sentence_on_a_page() -> None:
    page = "<p>Nilai ini <b>high confidence</b> — tetapi</p>"
    assert english_left_on(page, min_words=2) == ["high confidence"]
    assert english_left_on("<p>keyakinan tinggi</p>", min_words=2) == []
