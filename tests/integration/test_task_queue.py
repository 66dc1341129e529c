"""The task table against every `TaskQueue`: the port, the table and the Dramatiq actors name the same tasks
on the same queues, and every method of every implementation (Dramatiq on Redis and on a stub broker, the
in-process queue, the tests' recording queue) does what the table says: a message a worker's actor accepts
(same actor name, queue and arguments), the handler of that name run with those arguments, a record."""

from __future__ import annotations

import inspect
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import dramatiq
import pytest
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.adapters.tasks.dramatiq_queue import DramatiqTaskQueue
from productsmanager.adapters.tasks.inline import AT_ONCE, InlineTaskQueue
from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.tasks import TASKS, Queue, TaskDispatcher, TaskQueue
from productsmanager.config import Config
from productsmanager.container.factories import build_task_queue
from tests.integration.tcp_proxy import closed_port
from tests.recording_task_queue import RecordingTaskQueue

pytestmark = pytest.mark.integration

REDIS_URL = os.environ.get("PM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ID, OTHER = uuid.uuid4(), uuid.uuid4()
# One call of each task (two of the bulk export: by ids, by filters), with the arguments a use case gives.
CALLS: list[tuple[str, tuple[Any, ...]]] = [
    ("generate_thumbnails", (ID, True)),
    ("send_password_reset", ("ann@example.com",)),
    ("send_email", ("password_changed", "ann@example.com", {"company_name": "Acme"})),
    ("run_import", (ID,)),
    ("run_ftp_import", (ID,)),
    ("run_source_import", (ID, "email")),
    ("import_odoo_record", (ID, "product.template", 42)),
    ("sync_product_to_odoo", (ID, OTHER)),
    ("bulk_sync_to_odoo", (ID, [OTHER, ID], {})),
    ("bulk_sync_to_odoo", (ID, None, {"brand": "Acme"})),
    ("import_from_odoo", (ID,)),
    ("run_odoo_schedule", (ID,)),
    ("resolve_products", (ID,)),
    ("lookup_eans", (ID,)),
    ("download_lookup_images", (ID,)),
    ("find_eans", (ID,)),
    ("run_code2asin_job", (ID,)),
    ("run_export", (ID,)),
]
CALL_IDS = [f"{task}-{n}" for n, (task, _) in enumerate(CALLS)]


def on_the_wire(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments as a message carries them: ids as strings (the actors take primitives)."""

    def one(value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return str(value)
        return [one(item) for item in value] if isinstance(value, list) else value

    return tuple(one(arg) for arg in args)


def actors() -> Any:
    from productsmanager.entrypoints.dramatiq import actors

    return actors


def test_the_port_the_table_and_the_calls_here_name_the_same_tasks() -> None:
    methods = {name for name, _ in inspect.getmembers(TaskQueue, inspect.isfunction) if not name.startswith("_")}
    assert methods - {"drain"} == set(TASKS) == {task for task, _ in CALLS}
    for task in TASKS:  # the dispatcher every implementation shares takes the port's arguments
        assert inspect.signature(getattr(TaskDispatcher, task)) == inspect.signature(getattr(TaskQueue, task))
    assert set(TASKS.values()) == set(Queue)


def test_each_task_has_an_actor_of_its_name_on_its_tables_queue() -> None:
    module = actors()
    for task, queue in TASKS.items():
        actor = getattr(module, task)
        assert (actor.actor_name, actor.queue_name) == (task, queue)
    assert {actor.queue_name for actor in module.broker.actors.values()} <= set(Queue)


@pytest.fixture(params=["redis", "stub"])
def broker(request: pytest.FixtureRequest) -> Iterator[dramatiq.Broker]:
    """A broker of the test's own with every queue of the table declared: Redis in a namespace of its own
    (every key dropped afterwards), or dramatiq's in-memory stub."""
    made: dramatiq.Broker
    if request.param == "redis":
        made = RedisBroker(url=REDIS_URL, namespace=f"pm-test-{uuid.uuid4().hex[:8]}")
    else:
        made = StubBroker()
    for queue in Queue:
        made.declare_queue(queue.value)
    yield made
    if isinstance(made, RedisBroker):
        made.flush_all()  # the consumers' heartbeats too, which `flush_all` keeps
        made.client.delete(*made.client.keys(f"{made.namespace}*") or ["-"])
    made.close()


def received(broker: dramatiq.Broker, queue: str) -> dramatiq.Message[Any]:
    """The one message on `queue`, acknowledged."""
    consumer = broker.consume(queue, prefetch=1, timeout=2000)
    message = next(iter(consumer))
    assert message is not None, f"nothing arrived on the {queue} queue"
    consumer.ack(message)
    consumer.close()
    return message._message  # type: ignore[no-any-return]


@pytest.mark.parametrize(("task", "args"), CALLS, ids=CALL_IDS)
def test_dramatiq_sends_each_task_to_its_actor_in_the_actors_shape(
    broker: dramatiq.Broker, task: str, args: tuple[Any, ...]
) -> None:
    queue = DramatiqTaskQueue(broker)
    getattr(queue, task)(*args)
    message = received(broker, TASKS[task])
    assert (message.actor_name, message.queue_name, message.args, message.kwargs) == (
        task,
        TASKS[task],
        on_the_wire(args),
        {},
    )
    inspect.signature(getattr(actors(), task).fn).bind(*message.args, **message.kwargs)  # the worker can call it
    assert queue.drain(timeout=0)  # nothing runs in this process


@pytest.mark.parametrize(("task", "args"), CALLS, ids=CALL_IDS)
def test_dramatiq_on_a_broker_that_cannot_be_reached_raises_unavailable(task: str, args: tuple[Any, ...]) -> None:
    config = Config.from_env({"PM_REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0", "PM_DATA_DIR": "/tmp/pm-x"})
    queue = build_task_queue(config, {}, BackgroundRunner)
    with pytest.raises(DependencyUnavailable) as raised:
        getattr(queue, task)(*args)
    assert raised.value.dependency == "broker" and task in str(raised.value)


class Handlers(dict[str, Callable[..., object]]):
    """A handler per task that records the arguments it ran with and the thread it ran on."""

    def __init__(self) -> None:
        super().__init__({task: self._handler(task) for task in TASKS})
        self.ran: list[tuple[str, tuple[Any, ...], str]] = []

    def _handler(self, task: str) -> Callable[..., object]:
        return lambda *args: self.ran.append((task, args, threading.current_thread().name))


@pytest.mark.parametrize(("task", "args"), CALLS, ids=CALL_IDS)
def test_inline_runs_each_tasks_handler_with_its_arguments(task: str, args: tuple[Any, ...]) -> None:
    handlers = Handlers()
    queue = InlineTaskQueue(handlers, BackgroundRunner(start_delay=0))
    getattr(queue, task)(*args)
    if task in AT_ONCE:  # in the request that asked
        assert handlers.ran == [(task, args, threading.current_thread().name)]
    assert queue.drain(timeout=10)
    [(ran, ran_with, thread)] = handlers.ran
    assert (ran, ran_with) == (task, args)
    assert (thread == threading.current_thread().name) == (task in AT_ONCE)


def test_inline_refuses_a_table_it_has_no_handler_for() -> None:
    handlers = Handlers()
    del handlers["run_ftp_import"]
    with pytest.raises(ValueError, match="run_ftp_import"):
        InlineTaskQueue(handlers, BackgroundRunner())


def test_inline_drain_waits_for_the_background_work_and_says_when_it_did_not_finish() -> None:
    release = threading.Event()
    handlers = Handlers()
    handlers["run_import"] = lambda job_id: release.wait(10)
    queue = InlineTaskQueue(handlers, BackgroundRunner(start_delay=0))
    queue.run_import(ID)
    assert queue.drain(timeout=0.2) is False
    release.set()
    assert queue.drain(timeout=10) is True


@pytest.mark.parametrize(("task", "args"), CALLS, ids=CALL_IDS)
def test_the_recording_queue_records_each_task_or_plays_a_broker_that_is_down(task: str, args: tuple[Any, ...]) -> None:
    queue = RecordingTaskQueue()
    getattr(queue, task)(*args)
    assert queue.sent == [(task, args)] and queue.args_of(task) == [args] and queue.drain(timeout=0)
    ran: list[tuple[Any, ...]] = []
    queue.run(task, lambda *given: ran.append(given))
    assert ran == [args] and queue.sent == []

    down = RecordingTaskQueue(down=True)
    with pytest.raises(DependencyUnavailable) as raised:
        getattr(down, task)(*args)
    assert raised.value.dependency == "broker" and down.sent == []
