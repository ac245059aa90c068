"""The blocks of graph.json that a patch bisects and rewrites, against a plain list of lines.

The warm-run tests (test_relocation, test_incremental) check whole patches against cold runs;
these pin the block's own edge cases: the first and the last line (which has no separator in the
text), lines added before the first or after the last, and a block emptied."""

import random

import pytest

from migrator.engine.patch import _Block

HEAD, TAIL = b'{\n "nodes": [\n', b'\n ]\n}\n'


def _block(keys: list[bytes]) -> _Block:
    text = HEAD + b",\n".join(keys) + TAIL
    return _Block(text, len(HEAD), len(text) - len(TAIL), lambda line: line)


def _expected(keys: list[bytes], affected: set[bytes], lines: dict[bytes, bytes]) -> bytes:
    kept = {k: k for k in keys if k not in affected}
    kept.update(lines)
    return b",\n".join(kept[k] for k in sorted(kept))


def test_lines_are_found_by_key_first_and_last_included() -> None:
    keys = [b"b", b"d", b"f"]
    block = _block(keys)
    assert len(block) == 3
    assert [block.line(k) for k in (b"a", b"b", b"d", b"f", b"g")] == [None, b"b", b"d", b"f", None]
    assert block.lines() == keys


@pytest.mark.parametrize(
    ("affected", "lines"),
    [
        ({b"b"}, {b"b": b"b"}),  # the first line rewritten in place
        ({b"f"}, {}),  # the last line removed: the one before loses its separator
        ({b"g"}, {b"g": b"g"}),  # a line after the last: the last gains one
        ({b"a"}, {b"a": b"a"}),  # a line before the first
        ({b"b", b"d", b"f"}, {}),  # every line removed
        ({b"b", b"d", b"f", b"a"}, {b"a": b"a"}),  # every line replaced by another
    ],
)
def test_the_edges_of_a_block(affected: set[bytes], lines: dict[bytes, bytes]) -> None:
    keys = [b"b", b"d", b"f"]
    assert b"".join(_block(keys).replaced(affected, lines)) == _expected(keys, affected, lines)


@pytest.mark.parametrize("seed", range(40))
def test_random_edits_give_what_a_list_of_lines_gives(seed: int) -> None:
    rng = random.Random(seed)
    universe = [f"{n:03d}".encode() for n in range(60)]
    keys = sorted(rng.sample(universe, rng.randint(1, 30)))
    affected = set(rng.sample(universe, rng.randint(1, 10)))
    lines = {k: k + b" new" for k in affected if rng.random() < 0.6}
    block = _block(keys)
    for key in rng.sample(universe, 5):  # lookups first, as a patch makes them
        block.find(key)
    assert b"".join(block.replaced(affected, lines)) == _expected(keys, affected, lines)
