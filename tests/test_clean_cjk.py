"""Cleaning releases written without spaces between words (Chinese, Japanese)."""

from __future__ import annotations

from search.ingest.clean import clean_record
from search.ingest.lines import is_prose, word_count


def test_word_count_reads_unspaced_text_as_words() -> None:
    assert word_count("The governor met the delegation.") == 5
    # 18 Han and kana characters: about nine words, not one.
    assert word_count("知事が県庁を訪問してくださいました。") == 9
    assert word_count("Kim 知事") == 2


def test_unspaced_sentences_are_prose() -> None:
    assert is_prose("本県と京畿道は、1990年に友好提携を締結以来、交流を積み重ねてきました。")
    assert not is_prose("ホーム")


def test_japanese_record_keeps_its_sentences() -> None:
    body = "\n\n".join(
        [
            "更新日:2023年4月17日",
            "昨年7月に就任された京畿道知事が県庁を訪問してくださいました。",
            "本県と京畿道は、1990年に友好提携を締結以来、様々な分野での交流を積み重ねてきました。",
            "知事からは、経済、文化、教育など、今後も相互交流を進めていきたいとのお話がありました。",
        ]
    )
    article = clean_record({"title": "知事日記", "body": body}, "ja-1", "ja.jsonl")
    assert "京畿道知事が県庁を訪問" in article.body
    assert "相互交流を進めていきたい" in article.body
