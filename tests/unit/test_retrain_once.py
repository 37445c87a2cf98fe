"""Retraining the shared local model runs one at a time: a second run while one trains
does not train, and asks for another run after it so the latest reviews are learnt.
(The same on Redis: tests/integration/test_scheduler_redis.py.)"""

from __future__ import annotations

import threading

from dokvault.services.intelligence import local_model


def two_trainings_at_once(monkeypatch) -> None:
    """Thread one trains (held inside training until released); thread two retrains
    meanwhile: it must skip and queue a retrain for later."""
    real_train = local_model.local.train
    inside, release = threading.Event(), threading.Event()
    trainings: list[str] = []

    def slow_train(samples, *args, **kwargs):
        trainings.append(threading.current_thread().name)
        inside.set()
        assert release.wait(30), "the test never let the training finish"
        return real_train(samples, *args, **kwargs)

    sent: list[tuple[str, int | None]] = []
    monkeypatch.setattr(local_model.local, "train", slow_train)
    monkeypatch.setattr(local_model.jobs, "send",
                        lambda job, *args, delay_ms=None: sent.append((job, delay_ms)))
    results: dict[str, bool] = {}

    def retrain(name: str) -> None:
        results[name] = local_model.retrain_if_changed()

    first = threading.Thread(target=retrain, args=("first",), name="first")
    first.start()
    try:
        assert inside.wait(30), "the first training never started"
        second = threading.Thread(target=retrain, args=("second",), name="second")
        second.start()
        second.join(30)
        assert results.get("second") is False  # did not train beside the first
        assert sent == [("retrain_local_model", local_model.RETRAIN_AGAIN_MS)]  # asks again
    finally:
        release.set()
        first.join(30)
    assert results["first"] is True and trainings == ["first"]
    # The run asked for finds the lease free, and nothing new to learn.
    assert local_model.retrain_if_changed() is False and trainings == ["first"]


def test_two_trainings_at_once_train_once_and_ask_again(embedded, monkeypatch):
    two_trainings_at_once(monkeypatch)
