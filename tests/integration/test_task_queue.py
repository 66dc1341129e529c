"""The API hands thumbnail work to Dramatiq workers through Redis: the message it sends is one the worker's
actor accepts (same actor name, queue and arguments)."""

from __future__ import annotations

import inspect
import os
import uuid

import pytest
from dramatiq.brokers.redis import RedisBroker

from productsmanager.adapters.tasks.dramatiq_queue import DramatiqTaskQueue

pytestmark = pytest.mark.integration

REDIS_URL = os.environ.get("PM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _drop(broker: RedisBroker) -> None:
    """Every key of the test's namespace, the consumer's heartbeats included (`flush_all` keeps those)."""
    broker.flush_all()
    broker.client.delete(*broker.client.keys(f"{broker.namespace}*") or ["-"])
    broker.close()


def test_a_thumbnail_request_reaches_the_media_queue_in_the_actors_shape() -> None:
    broker = RedisBroker(url=REDIS_URL, namespace=f"pm-test-{uuid.uuid4().hex[:8]}")
    broker.declare_queue("media")
    media_id = uuid.uuid4()
    try:
        DramatiqTaskQueue(broker).generate_thumbnails(media_id, force=True)
        consumer = broker.consume("media", prefetch=1, timeout=2000)
        message = next(iter(consumer))
        assert message is not None, "nothing arrived on the media queue"
        consumer.ack(message)
        consumer.close()
    finally:
        _drop(broker)

    from productsmanager.entrypoints.dramatiq import actors

    actor = actors.generate_thumbnails
    assert (
        (message.actor_name, message.queue_name)
        == (actor.actor_name, actor.queue_name)
        == (
            "generate_thumbnails",
            "media",
        )
    )
    assert message.args == (str(media_id), True)
    inspect.signature(actor.fn).bind(*message.args, **message.kwargs)  # the worker can call it as sent


@pytest.mark.parametrize(
    ("send", "actor_name", "args"),
    [
        (lambda q: q.send_password_reset("ann@example.com"), "send_password_reset", ("ann@example.com",)),
        (
            lambda q: q.send_email("password_changed", "ann@example.com", {"company_name": "Acme"}),
            "send_email",
            ("password_changed", "ann@example.com", {"company_name": "Acme"}),
        ),
    ],
)
def test_mail_requests_reach_the_default_queue_in_the_actors_shape(send: object, actor_name: str, args: tuple) -> None:
    broker = RedisBroker(url=REDIS_URL, namespace=f"pm-test-{uuid.uuid4().hex[:8]}")
    broker.declare_queue("default")
    try:
        send(DramatiqTaskQueue(broker))  # type: ignore[operator]
        consumer = broker.consume("default", prefetch=1, timeout=2000)
        message = next(iter(consumer))
        assert message is not None, "nothing arrived on the default queue"
        consumer.ack(message)
        consumer.close()
    finally:
        _drop(broker)

    from productsmanager.entrypoints.dramatiq import actors

    actor = getattr(actors, actor_name)
    assert (message.actor_name, message.queue_name) == (actor.actor_name, actor.queue_name) == (actor_name, "default")
    assert message.args == args
    inspect.signature(actor.fn).bind(*message.args, **message.kwargs)
