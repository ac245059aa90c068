"""The differential comparison: requests paired across three runs, noise learnt from where the two
monolith instances differ, JSON compared field by field, text token by token."""

from __future__ import annotations

import json

from migrator.verify.domain.differences import compare, flatten, learn_noise, response_fields, text_differences
from migrator.verify.domain.exchanges import Exchange, endpoint, paired, without_addresses


def _json(path: str, body: object, *, status: int = 200, method: str = "GET") -> Exchange:
    return Exchange(method, path, "", "", status, "application/json", "", json.dumps(body))


def _html(path: str, body: str, *, status: int = 200) -> Exchange:
    return Exchange("GET", path, "", "", status, "text/html; charset=utf-8", "", body)


def test_json_bodies_are_flattened_to_one_field_per_leaf() -> None:
    assert flatten({"a": {"b": [1, {"c": None}]}, "d": [], "e": {}}, "body") == {
        "body.a.b[0]": "1", "body.a.b[1].c": "null", "body.d": "[]", "body.e": "{}"}
    assert response_fields(_json("/x", {"id": 3}, status=201)) == {
        "status": "201", "content type": "application/json", "location": "", "body.id": "3"}


def test_noise_is_what_the_two_monoliths_differ_in_per_endpoint_with_list_positions_generalised() -> None:
    first = [_json("/orders/1", {"id": 1, "at": "10:00", "items": [{"token": "a"}]})]
    second = [_json("/orders/1", {"id": 1, "at": "10:01", "items": [{"token": "b"}]})]
    assert learn_noise(paired(first, second, [])) == {"GET /orders/{}": {"body.at", "body.items[*].token"}}


def test_a_difference_where_the_monoliths_agree_is_reported_and_noise_is_not() -> None:
    first = [_json("/orders/1", {"id": 1, "at": "10:00", "total": 5, "items": [{"token": "a"}, {"token": "b"}]})]
    second = [_json("/orders/1", {"id": 1, "at": "10:01", "total": 5, "items": [{"token": "c"}, {"token": "d"}]})]
    split = [_json("/orders/1", {"id": 1, "at": "10:02", "total": 7, "items": [{"token": "e"}, {"token": "f"}]})]
    comparison = compare(paired(first, second, split))
    assert comparison.compared == 1
    assert comparison.noise == 3  # at and both tokens
    (difference,) = comparison.differences
    assert [(f.field, f.monolith, f.split) for f in difference.fields] == [("body.total", "5", "7")]
    assert difference.request.request_line() == "GET /orders/1"


def test_status_and_content_type_differences_are_reported_with_both_answers() -> None:
    first, second = [_json("/api/items", [])], [_json("/api/items", [])]
    split = [_html("/api/items", "<h1>Not Found</h1>", status=404)]
    (difference,) = compare(paired(first, second, split)).differences
    assert {f.field for f in difference.fields} >= {"status", "content type"}
    assert (difference.monolith, difference.split) == (first[0], split[0])


def test_a_csrf_token_in_a_page_is_noise_and_a_changed_word_is_not() -> None:
    page = '<form><input name="csrf" value="{}"><p>Hello {}</p></form>'
    found, masked = text_differences(page.format("t1", "Ada"), page.format("t2", "Ada"), page.format("t3", "Bob"))
    assert masked == 1
    assert [(f.field, f.monolith, f.split) for f in found] == [("body", "Ada", "Bob")]


def test_an_equal_page_has_no_difference() -> None:
    page = "<p>same</p>"
    assert text_differences(page, page, page) == ([], 0)


def test_requests_pair_by_method_path_and_occurrence_and_what_one_side_missed_is_reported() -> None:
    a = [_json("/x", 1), _json("/x", 2), _json("/y", 0)]
    b = [_json("/x", 1), _json("/x", 2), _json("/y", 0), _json("/random-1", 0)]
    c = [_json("/x", 1), _json("/x", 3), _json("/z", 0)]
    pairs = paired(a, b, c)
    assert [(p.primary and p.primary.body, p.secondary and p.secondary.body, p.candidate and p.candidate.body) for p in pairs] == [
        ("1", "1", "1"), ("2", "2", "3"), ("0", "0", None), (None, "0", None), (None, None, "0")]
    comparison = compare(pairs)
    assert (comparison.compared, comparison.unpaired) == (2, 1)
    assert [d.reason or d.fields[0].field for d in comparison.differences] == [
        "body", "both monoliths got this request, the split system did not", "only the split system got this request"]


def test_endpoints_read_ids_as_any_and_leave_the_query_out() -> None:
    assert endpoint(_json("/projects/12/reviews/3f2a9c1e-0b7d-4c1a-9e2f-1a2b3c4d5e6f?page=2", 0)) == "GET /projects/{}/reviews/{}"


def test_a_run_s_own_addresses_are_read_alike() -> None:
    assert without_addresses('<a href="http://127.0.0.1:4100/x">', ["127.0.0.1:4100"]) == '<a href="http://{host}/x">'


def test_requests_whose_path_each_run_makes_its_own_pair_by_their_order() -> None:
    a = [_json("/x", 1), _html("/ada1/following/", "<p>ada1</p>")]
    b = [_json("/x", 1), _html("/bob2/following/", "<p>bob2</p>")]
    c = [_json("/x", 1), _html("/cyd3/following/", "<p>cyd3</p>")]
    pairs = paired(a, b, c)
    assert [(p.primary and p.primary.path, p.candidate and p.candidate.path) for p in pairs] == [("/x", "/x"), ("/ada1/following/", "/cyd3/following/")]
    comparison = compare(pairs)
    assert (comparison.compared, comparison.differences, comparison.noise) == (2, (), 1)
