"""How a request to stop reaches a run: SIGINT and SIGTERM interrupt it, even where it was started
with SIGINT ignored (a job a non-interactive shell put in the background), and only while inside."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from migrator.verify.adapters.signals import stop_signals_interrupt


@pytest.fixture
def sigint_ignored() -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as `sh -c 'migrator verify ... &'` starts us
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_interrupts_the_run_even_where_sigint_was_ignored(sigint_ignored: None, signum: int) -> None:
    with pytest.raises(KeyboardInterrupt), stop_signals_interrupt():
        os.kill(os.getpid(), signum)
        signal.sigtimedwait([], 0.1)  # a Python handler runs between bytecodes: let it
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN  # as it was, once outside
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
