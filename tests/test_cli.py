"""The `urbanai-kg` command: exit codes, output, and a real `serve` with no configuration."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, parse

from kg.build import BuildResult
from kg.cli import cli
from tests.conftest import BAD, GOOD


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_check_exits_0_when_the_data_conforms() -> None:
    code, output = invoke("build", "--check", "--data", str(GOOD))
    assert code == 0, output
    assert "conforms" in output


def test_check_exits_1_and_lists_every_problem(tmp_path: Path) -> None:
    shutil.copy(GOOD / "records.yaml", tmp_path)
    shutil.copy(BAD / "wrong-type.yaml", tmp_path)
    shutil.copy(BAD / "malformed-year.yaml", tmp_path)
    code, output = invoke("build", "--check", "--data", str(tmp_path))
    assert code == 1
    assert "wrong-type.yaml:busan [within]" in output
    assert "malformed-year.yaml:busan-ai [start_year]" in output
    assert "2 problem(s)" in output


def test_check_exits_1_on_inconsistency(tmp_path: Path) -> None:
    shutil.copy(GOOD / "records.yaml", tmp_path)
    shutil.copy(BAD / "disjoint-types.yaml", tmp_path)
    code, output = invoke("build", "--check", "--data", str(tmp_path))
    assert code == 1 and "inconsistent" in output


def test_build_exits_2_on_an_internal_error(tmp_path: Path) -> None:
    blocker = tmp_path / "store"
    blocker.write_text("not a directory", encoding="utf-8")
    code, output = invoke("build", "--data", str(GOOD), "--store", str(blocker / "inside"), "--no-reason")
    assert code == 2
    assert "internal error" in output


def test_query_named_query_with_parameter(built_store: tuple[Path, BuildResult]) -> None:
    code, output = invoke("query", "cases-by-domain", "-p", "domain=resources-environment", "--format", "csv",
                          "--store", str(built_store[0]))
    assert code == 0, output
    assert output.splitlines()[0].startswith("case,label_en,label_ko")
    assert len(output.splitlines()) == 1 + 3


def test_query_text_and_bad_query(built_store: tuple[Path, BuildResult]) -> None:
    code, output = invoke("query", "ASK { ?s ?p ?o }", "--store", str(built_store[0]))
    assert code == 0 and json.loads(output)["boolean"] is True
    code, output = invoke("query", "SELECT ?x WHERE {", "--store", str(built_store[0]))
    assert code == 1 and "error at" in output


def test_query_text_runs_under_the_guard(built_store: tuple[Path, BuildResult],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store = str(built_store[0])
    code, output = invoke("query", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                          "--store", store)
    assert code == 1 and "SERVICE is not allowed" in output
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "1")
    started = time.monotonic()
    code, output = invoke("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                          "--store", store)
    assert code == 1 and "longer than 1 s" in output
    assert time.monotonic() - started < 60  # liveness only: the worker was killed, not waited for
    monkeypatch.setenv("KG_MAX_ROWS", "3")
    result = CliRunner().invoke(cli, ["query", "SELECT ?s WHERE { ?s ?p ?o }", "--format", "csv", "--store", store])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1 + 3
    assert "cut at 3 rows" in result.stderr


def test_query_with_a_bad_parameter(built_store: tuple[Path, BuildResult]) -> None:
    code, output = invoke("query", "cases-by-domain", "-p", "domain=Not A Slug", "--store", str(built_store[0]))
    assert code == 1 and "is not an id" in output


def test_queries_lists_every_named_query() -> None:
    code, output = invoke("queries")
    assert code == 0
    names = [line.split("\t")[0] for line in output.splitlines()]
    assert "cases-by-domain" in names and "strategy-pillars" in names


def test_export_nquads_keeps_named_graphs(built_store: tuple[Path, BuildResult], tmp_path: Path) -> None:
    target = tmp_path / "out.nq"
    code, output = invoke("export", "--format", "nquads", "-o", str(target), "--store", str(built_store[0]))
    assert code == 0, output
    quads = list(parse(path=str(target), format=RdfFormat.N_QUADS))
    assert len(quads) == built_store[1].triples


def test_export_without_a_store_says_what_to_do(tmp_path: Path) -> None:
    code, output = invoke("export", "--store", str(tmp_path))
    assert code == 1 and "urbanai-kg build" in output


def test_serve_with_no_configuration_answers_health(tmp_path: Path) -> None:
    """`urbanai-kg build` then `urbanai-kg serve`, no flags: default store, 127.0.0.1:8000."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["XDG_DATA_HOME"] = str(tmp_path)  # the per-user data directory, isolated for the test
    command = [sys.executable, "-m", "kg"]
    subprocess.run([*command, "build"], env=env, check=True, capture_output=True, timeout=300)
    server = subprocess.Popen([*command, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get("http://127.0.0.1:8000/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"server did not start: {server.stdout.read().decode() if server.stdout else ''}")
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["status"] == "ok" and response.json()["triples"] > 10_000
    finally:
        server.terminate()
        server.wait(timeout=20)
