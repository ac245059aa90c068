"""One pass over a text for many words, as the per-file scans use it."""

import pickle

from analyzers.words import LineSet, Words


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


def test_word_sets_share_one_pass_and_keep_to_their_own_words() -> None:
    signals, models = Words(["send", "signal"]), Words(["Model", "send"])
    text = "class Order(Model):\n    signal.send(self)\n"
    assert signals.occurrences(text) == [(24, "signal"), (31, "send")]
    assert models.occurrences(text) == [(12, "Model"), (31, "send")]
    assert signals.any_in(text) and models.any_in(text)
    assert not Words(["never"]).any_in(text)


def test_a_word_set_made_after_a_text_was_read_still_finds_its_words() -> None:
    first = Words(["alpha"])
    text = "alpha beta"
    assert first.occurrences(text) == [(0, "alpha")]
    later = Words(["beta"])
    assert later.occurrences(text) == [(6, "beta")]


def test_indexes_count_characters_not_bytes() -> None:
    words = Words(["Modèle", "save"])
    assert words.occurrences("é Modèle.save()") == [(2, "Modèle"), (9, "save")]


def test_line_set_answers_whether_a_range_of_lines_holds_a_word() -> None:
    text = "a = 1\nimport os\n\n\ndef f():\n    import json\n"
    found = LineSet(text, [at for at, _ in Words(["import"]).occurrences(text)])
    assert found.lines == [2, 6]
    assert found.any_between(1, 2) and found.any_between(6, 6) and found.any_between(3, 9)
    assert not found.any_between(3, 5) and not found.any_between(7, 100)
    assert not LineSet(text, []) and LineSet(text, [0])
