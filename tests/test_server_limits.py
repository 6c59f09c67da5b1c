"""What a query worker answers at its limits, without a server: a clear status and one line saying
which limit and how to get past it."""

from __future__ import annotations

from pyoxigraph import Store

from jeugdgov.server.executor import Job, answer, over_memory, over_result

MANY_ROWS = "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 } }"


def test_a_result_over_the_cap_is_413_naming_the_option():
    refused = answer(Store(), Job("query", MANY_ROWS, ("csv",)), max_result=20)
    assert refused.status == 413 and refused.media_type.startswith("text/plain")
    assert b"--max-result" in refused.body and refused.body.count(b"\n") == 1
    allowed = answer(Store(), Job("query", MANY_ROWS, ("csv",)), max_result=1000)
    assert allowed.status == 200 and allowed.body.splitlines()[1:3] == [b"1", b"2"]


def test_the_limits_are_named_in_megabytes():
    assert b"limit of 400 MB per worker" in over_memory(400 * 2**20).body
    assert b"limit of 200 MB" in over_result(200 * 2**20).body
    assert b"limit of 0.5 MB" in over_result(2**19).body


def test_memory_and_result_limits_ask_for_a_changed_query_not_a_retry():
    for refused in (over_memory(2**30), over_memory(None), over_result(2**20)):
        assert 400 <= refused.status < 500
        assert b"narrow" in refused.body and not dict(refused.headers).get("Retry-After")
