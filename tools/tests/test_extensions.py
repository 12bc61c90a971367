"""How the extensions harness counts a run and judges a suite (the runs themselves need the
network and take minutes: ``nox -s extensions``)."""

from __future__ import annotations

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1]))

import extensions  # noqa: E402

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
  <testcase classname="tests.test_a" name="test_ok"/>
  <testcase classname="tests.test_a" name="test_ok_too"/>
  <testcase classname="tests.test_a" name="test_bad"><failure message="boom"/></testcase>
  <testcase classname="tests.test_a" name="test_both">
    <failure message="in the call"/><error message="in teardown"/>
  </testcase>
  <testcase classname="" name="tests.test_b"><error message="collection failed"/></testcase>
  <testcase classname="tests.test_a" name="test_later"><skipped message="no redis"/></testcase>
</testsuite></testsuites>
"""

SUITE = extensions.Suite("flask-example", "1.0", (), measured=10)


def outcome(passed: int) -> extensions.Outcome:
    return extensions.Outcome({f"test_{n}": "passed" for n in range(passed)})


def test_results_give_every_case_one_outcome(tmp_path: pathlib.Path) -> None:
    report = tmp_path / "report.xml"
    report.write_text(REPORT, encoding="utf-8")
    assert extensions.results(report) == {
        "tests.test_a::test_ok": "passed",
        "tests.test_a::test_ok_too": "passed",
        "tests.test_a::test_bad": "failed",
        "tests.test_a::test_both": "errors",
        "::tests.test_b": "errors",
        "tests.test_a::test_later": "skipped",
    }


def test_lost_names_what_passes_on_flask_only(capsys: pytest.CaptureFixture[str]) -> None:
    reference = extensions.Outcome(
        {"t::a": "passed", "t::b": "passed", "t::c": "failed", "t::d": "errors", "t::e": "passed"}
    )
    erlen = extensions.Outcome(
        {"t::a": "passed", "t::b": "failed", "t::c": "passed", "t::d": "errors", "::u": "errors"}
    )
    extensions.lost(SUITE, reference, erlen)
    assert capsys.readouterr().out.splitlines() == [
        "    errors on erlen only: ::u",
        "    passes on Flask, failed on erlen: t::b",
        "    passes on Flask, not run on erlen: t::e",
    ]


@pytest.mark.parametrize(
    ("reference", "erlen", "verdict"),
    [
        (outcome(10), outcome(10), "ok"),
        (outcome(12), outcome(12), "ok"),
        (outcome(12), outcome(11), "FAIL: erlen passed fewer than the reference"),
        (outcome(10), extensions.Outcome(broken="pytest wrote no report"), "FAIL: erlen"),
        (outcome(9), outcome(9), "FAIL: the reference passed fewer than the 10 measured"),
        (extensions.Outcome(broken="stopped after 900 s"), outcome(10), "FAIL: the reference"),
    ],
)
def test_verdict(reference: extensions.Outcome, erlen: extensions.Outcome, verdict: str) -> None:
    assert extensions.verdict(SUITE, reference, erlen).startswith(verdict)
