"""The warm-up of a serving process (directory/warmup.py): gunicorn's workers and the benchmark."""

import gc
import logging
import runpy
import sys
from pathlib import Path

import pytest

from directory import reference, warmup

pytestmark = pytest.mark.django_db


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_a_worker_loads_the_snapshot_then_freezes_what_is_alive(unfrozen, django_assert_num_queries, caplog):
    reference.invalidate()
    with caplog.at_level(logging.ERROR, logger="directory.warmup"):
        warmup.prepare_process()
    assert caplog.records == []  # every template named is there
    assert gc.get_freeze_count() > 10_000  # Django, the compiled templates, the snapshot
    with django_assert_num_queries(0):
        reference.get()  # loaded by the warm-up


def test_a_failed_warm_up_is_logged_and_the_worker_serves(unfrozen, monkeypatch, caplog):
    def broken():
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(warmup, "load", broken)
    with caplog.at_level(logging.ERROR, logger="directory.warmup"):
        warmup.prepare_process()
    assert "Warm-up of the serving process failed" in caplog.text
    assert gc.get_freeze_count() > 0


def test_gunicorn_warms_each_worker(monkeypatch):
    called = []
    monkeypatch.setattr(warmup, "prepare_process", lambda: called.append(True))
    interval = sys.getswitchinterval()
    try:
        conf = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
        conf["post_worker_init"](worker=None)
    finally:
        sys.setswitchinterval(interval)
    assert called == [True]
