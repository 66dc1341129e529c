"""Topics of progress events: parsed from `?topics=`, printed back the same, kind-wide ones covering their kind."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.events import MAX_TOPICS, ProgressEvent, Topic, TopicKind, covered

kinds = st.sampled_from(list(TopicKind))
ids = st.one_of(st.uuids().map(str), st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,20}", fullmatch=True))


@given(kinds, st.one_of(st.none(), ids))
def test_a_topic_reads_back_what_it_prints(kind: TopicKind, ident: str | None) -> None:
    topic = Topic(kind, ident)
    assert Topic.parse(str(topic)) == topic


@given(kinds, ids, ids)
def test_a_kind_wide_topic_covers_every_id_of_its_kind_and_an_exact_one_only_itself(
    kind: TopicKind, one: str, other: str
) -> None:
    assert Topic(kind).covers(Topic(kind, one))
    assert Topic(kind, one).covers(Topic(kind, one))
    assert Topic(kind, one).covers(Topic(kind, other)) == (one == other)
    for different in TopicKind:
        if different != kind:
            assert not Topic(different).covers(Topic(kind, one))


@given(st.lists(st.tuples(kinds, ids), min_size=1, max_size=MAX_TOPICS))
def test_a_list_is_deduplicated_in_order(pairs: list[tuple[TopicKind, str]]) -> None:
    text = ",".join(f"{kind.value}:{ident}" for kind, ident in pairs + pairs)
    parsed = Topic.parse_list(text)
    assert list(parsed) == list(dict.fromkeys(Topic(kind, ident) for kind, ident in pairs))


@pytest.mark.parametrize(
    "text",
    ["", " , ", "nothing:1", "import:", "import:../x", "import:a b", "import:" + "x" * 65, "import:\x00"],
)
def test_bad_lists_are_refused_naming_the_parameter(text: str) -> None:
    if text == "import:":  # a kind alone with a trailing colon is the kind-wide topic
        assert Topic.parse_list(text) == (Topic(TopicKind.IMPORT),)
        return
    with pytest.raises(InvalidValue) as refused:
        Topic.parse_list(text)
    assert refused.value.field == "topics"


def test_too_many_topics_are_refused() -> None:
    text = ",".join(f"import:{uuid.uuid4()}" for _ in range(MAX_TOPICS + 1))
    with pytest.raises(InvalidValue, match=f"at most {MAX_TOPICS}"):
        Topic.parse_list(text)


def test_an_event_is_covered_by_its_kind_or_its_exact_topic() -> None:
    job = uuid.uuid4()
    event = ProgressEvent(Topic.of(TopicKind.IMPORT, job), {"status": "running"})
    assert covered([Topic(TopicKind.IMPORT)], event)
    assert covered([Topic.of(TopicKind.EXPORT, job), Topic.of(TopicKind.IMPORT, job)], event)
    assert not covered([Topic.of(TopicKind.IMPORT, uuid.uuid4())], event)
    assert event.as_json() == {"topic": f"import:{job}", "state": {"status": "running"}}
