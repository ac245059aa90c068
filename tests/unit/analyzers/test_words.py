"""One pass over a text for many words, as the per-file scans use it."""

import pickle

from analyzers.words import Words


def test_every_occurrence_of_every_word_with_its_start() -> None:
    words = Words(["send", "end", ".connect"])
    found = sorted(words.occurrences("signal.connect(f); x.send()"))
    assert found == [(6, ".connect"), (21, "send"), (22, "end")]


def test_any_in() -> None:
    words = Words(["Model", "Column"])
    assert words.any_in("class Order(models.Model): ...")
    assert not words.any_in("def f(): return 1")
    assert not words.any_in("")


def test_words_survive_a_pickle_to_a_worker() -> None:
    words = pickle.loads(pickle.dumps(Words(["task", "delay"])))
    assert [word for _, word in words.occurrences("add.delay(1)")] == ["delay"]
