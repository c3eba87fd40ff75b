"""Safe YAML reading with positions."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import Diagnostic
from generator.yamlsource import Document, _Loader, parse


def parsed(text: str) -> Document:
    result = parse("f.yml", text)
    assert isinstance(result, Document), result
    return result


def refused(text: str) -> Diagnostic:
    result = parse("f.yml", text)
    assert isinstance(result, Diagnostic), result
    return result


def test_scalars_stay_the_text_written() -> None:
    doc = parsed("a: no\nb: yes\nc: on\nd: 2017-02-25\ne: 32\nf: 1.2\n")
    assert doc.data == {"a": "no", "b": "yes", "c": "on", "d": "2017-02-25", "e": "32", "f": "1.2"}


def test_empty_and_tilde_are_null_but_quoted_null_is_text() -> None:
    doc = parsed("a:\nb: ~\nc: 'null'\nd: ''\ne: NULL\nf: Null\ng: nul\nh: \"~\"\ni: !!str null\nj: [~, x]\n")
    assert doc.data == {"a": None, "b": None, "c": "null", "d": "", "e": None, "f": None, "g": "nul", "h": "~",
                        "i": "null", "j": [None, "x"]}


def test_the_merge_key_and_value_indicator_are_refused_as_before() -> None:
    assert refused("a: =\n").code == "yaml-tag"
    assert refused("a: [x, <<]\n").code == "yaml-tag"
    assert refused("<<: x\n").code == "yaml-key"
    assert parsed("a: '='\nb: ==\n").data == {"a": "=", "b": "=="}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="~nulNL<=01.e+-xyesTrFf: !'\"", min_size=0, max_size=8))
def test_tags_are_yaml_1_1_s_for_null_and_the_refused_indicators_else_text(scalar: str) -> None:
    # Our loader skips the YAML 1.1 type resolver: it must give the tag the resolver gives where
    # the tag matters (null, merge, value) and text everywhere else.
    def tag(loader: type[yaml.CSafeLoader]) -> str:
        root = yaml.compose(f"a: {scalar}\n", Loader=loader)
        assert isinstance(root, yaml.MappingNode)
        return str(root.value[0][1].tag)

    if scalar.lstrip().startswith("!"):
        return  # an explicit tag: refused on loading (yaml-tag), whatever it names
    try:
        expected = tag(yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    ours = tag(_Loader)
    kept = {f"tag:yaml.org,2002:{name}" for name in ("null", "merge", "value")}
    assert ours == (expected if expected in kept or not expected.startswith("tag:yaml.org,2002:")
                    or expected.endswith((":seq", ":map")) else "tag:yaml.org,2002:str")


def test_positions_of_values_and_keys() -> None:
    doc = parsed("items:\n  - id: x\n    name: Ex\n")
    assert doc.mark(("items", 0, "name")) == (3, 11)
    assert doc.mark(("items", 0, "name"), key=True) == (3, 5)
    # A field that is absent points at its nearest written ancestor.
    assert doc.mark(("items", 0, "missing")) == (2, 5)


def test_duplicate_key_is_refused_at_the_second_key() -> None:
    d = refused("a: 1\nb: 2\na: 3\n")
    assert (d.line, d.col, d.code) == (3, 1, "duplicate-key")
    assert d.hint == "first written at line 1, column 1"


def test_python_tag_is_refused_not_executed() -> None:
    d = refused("a: !!python/object/apply:os.system ['echo pwned']\n")
    assert (d.line, d.col, d.code) == (1, 4, "yaml-tag")


def test_custom_tag_is_refused() -> None:
    assert refused("a: !secret x\n").code == "yaml-tag"


def test_alias_is_refused() -> None:
    d = refused("a: &x [1]\nb: *x\n")
    assert d.code == "yaml-alias"


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    start = time.perf_counter()
    d = refused("\n".join(lines) + "\n")
    assert d.code == "yaml-alias"
    assert time.perf_counter() - start < 1.0


def test_tab_indentation_has_its_own_code() -> None:
    d = refused("a:\n\tb: 1\n")
    assert (d.line, d.col, d.code) == (2, 1, "yaml-tab")


@pytest.mark.parametrize("text", ["a: [1,\n", "a: b\n  c: d\n"])
def test_syntax_errors_have_positions(text: str) -> None:
    d = refused(text)
    assert d.code == "yaml-syntax"
    assert d.line >= 1 and d.col >= 1


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    d = refused("a: b\nc: 'unterminated\nd: e\n")
    assert (d.line, d.col, d.code) == (2, 4, "yaml-unclosed-quote")


def test_oversized_file_is_refused_before_parsing() -> None:
    d = refused("a: " + "x" * (3 * 1024 * 1024) + "\n")
    assert d.code == "file-too-large"


QUOTE_AT = "tallies:\n  - id: x\n    evidence:\n      - source: wire\n        quote: {}\n"


def test_a_colon_in_unquoted_text_gets_a_folded_block_hint() -> None:
    d = refused(QUOTE_AT.format("He said: we will win"))
    assert (d.line, d.col, d.code) == (5, 23, "yaml-colon-in-text")
    assert d.message == "the text of 'quote' holds ': ', which YAML reads as the start of a key"
    assert d.hint is not None
    assert d.hint.startswith("write line 5 as a folded block: `quote: >-`, then on the next line, indented further, "
                             "`He said: we will win`")


@pytest.mark.parametrize(("value", "col", "text"), [
    ('"We were ready" he said', 32, '"We were ready" he said'),
    ("'We weren''t ready' he said", 36, "'We weren't ready' he said"),
    ('"He said \\"no\\"" twice', 33, '"He said "no"" twice'),
])
def test_text_going_on_after_its_closing_quotation_mark_gets_a_folded_block_hint(value: str, col: int,
                                                                                  text: str) -> None:
    d = refused(QUOTE_AT.format(value))
    assert (d.line, d.col, d.code) == (5, col, "yaml-text-after-quote")
    assert "starts with a quotation mark and goes on after the closing one" in d.message
    assert d.hint is not None and f"`quote: >-`, then on the next line, indented further, `{text}`" in d.hint


def test_a_list_item_going_on_after_its_closing_quotation_mark() -> None:
    d = refused('aliases:\n  - "Abu" Mohammed\n')
    assert (d.line, d.code) == (2, "yaml-text-after-quote")
    assert d.hint is not None and "`- >-`" in d.hint


@pytest.mark.parametrize("key", ["quote", "text"])
def test_a_comment_cutting_a_quote_is_an_error_at_the_hash(key: str) -> None:
    doc = parsed(f"quotes:\n  - {key}: they tagged it #NoMore on Saturday\n")
    assert doc.data == {"quotes": [{key: "they tagged it"}]}
    (d,) = doc.problems
    assert (d.line, d.col, d.code, d.severity) == (2, 22 + len(key), "yaml-comment-in-text", "error")
    assert d.message == f"the text of {key!r} stops before ' #': YAML reads the rest of the line as a comment"
    assert d.hint is not None
    assert f"`{key}: >-`, then on the next line, indented further, `they tagged it #NoMore on Saturday`" in d.hint


@pytest.mark.parametrize("text", [
    "quote: 'they tagged it' # a comment\n",  # quoted: the comment cuts nothing
    "quote: >-\n  they tagged it #NoMore\n",  # a block holds the hash
    "quote: they tagged it#NoMore\n",  # no space: not a comment
    "kind: city  # or town\n",  # other fields may carry comments
    "quote: they tagged it\n# a comment on its own line\n",
])
def test_comments_that_cut_no_quote_are_fine(text: str) -> None:
    assert parsed(text).problems == []
