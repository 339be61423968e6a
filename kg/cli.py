"""The ``urbanai-kg`` command. Every option falls back to its ``KG_`` environment variable.

Exit codes of ``build`` (and ``build --check``): 0 the data conforms, 1 it does not (every problem
is listed), 2 an internal error.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg import __version__

F = TypeVar("F", bound=Callable[..., Any])


def verbosity(func: F) -> F:
    """``-v`` (INFO) / ``-vv`` (DEBUG); logging is configured here and nowhere else."""
    def configure(_ctx: click.Context, _param: click.Parameter, value: int) -> int:
        logging.basicConfig(level=logging.WARNING - 10 * min(value, 2),
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        return value

    return click.option("-v", "--verbose", count=True, expose_value=False, callback=configure,
                        is_eager=True, help="More logging (-v, -vv).")(func)


def store_option(func: F) -> F:
    return click.option("--store", type=click.Path(path_type=Path, file_okay=False),
                        help="Store directory [env KG_STORE; default: per-user data dir].")(func)


def endpoint_option(func: F) -> F:
    return click.option("--endpoint", help="Remote SPARQL endpoint instead of the store [env KG_ENDPOINT].")(func)


def settings(**given: Any) -> Any:
    from kg.config import Settings

    return Settings(**{k: v for k, v in given.items() if v is not None})


@click.group()
@click.version_option(__version__, prog_name="urbanai-kg")
def cli() -> None:
    """Urban AI knowledge graph: build the store, serve it, query it."""


@cli.command()
@click.option("--data", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Directory of curated YAML [env KG_DATA; default: the repository's data/].")
@store_option
@click.option("--check", "check_only", is_flag=True, help="Validate only (pydantic, SHACL, HermiT); write nothing.")
@click.option("--no-reason", is_flag=True, help="Skip the HermiT consistency check.")
@verbosity
def build(data: Path | None, store: Path | None, check_only: bool, no_reason: bool) -> None:
    """Validate the data and build the store (atomically: a failed build changes nothing)."""
    from kg.build import build as run_build
    from kg.build import check
    from kg.errors import DataError, ReasoningError, ShapeViolation

    config = settings(data=data, store=store, reason=False if no_reason else None)
    try:
        if check_only:
            graph = check(data_dir=config.data, ontology_dir=config.ontology, reason=config.reason)
            click.echo(f"ok: {config.data} conforms ({len(graph.quads)} triples before inference)")
            return
        result = run_build(data_dir=config.data, ontology_dir=config.ontology,
                                rules_dir=config.queries / "rules", store_dir=config.store, reason=config.reason)
    except (DataError, ShapeViolation) as exc:
        for problem in exc.report:
            click.echo(str(problem), err=True)
        raise click.ClickException(exc.message) from exc
    except ReasoningError as exc:
        raise click.ClickException(exc.message) from exc
    except Exception as exc:  # an internal error, not a data problem: exit 2, as documented
        logging.getLogger(__name__).exception("build failed")
        click.echo(f"internal error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"built {result.triples} triples in {result.seconds:.1f} s → {result.path}")


@cli.command()
@click.option("--host", help="Address to listen on [env KG_HOST; default 127.0.0.1].")
@click.option("-p", "--port", type=int, help="Port; 0 means any free port [env KG_PORT; default 8000].")
@store_option
@endpoint_option
@verbosity
def serve(host: str | None, port: int | None, store: Path | None, endpoint: str | None) -> None:
    """Serve SPARQL and the JSON API over the store (or a remote endpoint)."""
    import uvicorn

    from api.main import create_app
    from kg.backends import open_backend
    from kg.errors import StoreNotFound

    config = settings(host=host, port=port, store=store, endpoint=endpoint)
    try:  # fail before starting the server, with a message that says what to do
        open_backend(store=config.store, endpoint=config.endpoint, timeout=config.query_timeout).close()
    except StoreNotFound as exc:
        raise click.ClickException(exc.message) from exc
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="info",
                access_log=config.access_log)


@cli.command()
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Named-query parameter.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "tsv", "xml"]), default="json",
              show_default=True, help="Result format of SELECT/ASK (CONSTRUCT gives Turtle).")
@store_option
@endpoint_option
@verbosity
def query(query: str, params: tuple[str, ...], fmt: str, store: Path | None, endpoint: str | None) -> None:
    """Run QUERY: SPARQL text, a .rq file, or the name of a named query.

    Your own SPARQL on the embedded store runs under the server's guard (timeout, row cap, memory
    limit); named queries are trusted and run in-process.
    """
    from pyoxigraph import QueryResultsFormat, RdfFormat

    from kg import store as layout
    from kg.backends import open_backend
    from kg.errors import KGError
    from kg.guard import QueryGuard
    from kg.queries import QueryCatalog

    config = settings(store=store, endpoint=endpoint)
    catalog = QueryCatalog.from_dir(config.queries)
    values: dict[str, list[str]] = {}
    for name, value in map(_split_param, params):
        values.setdefault(name, []).append(value)
    results_format, graph_format = getattr(QueryResultsFormat, fmt.upper()), RdfFormat.TURTLE
    try:
        if query in catalog or config.endpoint:
            if query in catalog:
                sparql, bindings = catalog[query].prepare(values)
            else:
                sparql, bindings = _sparql_text(query), {}
            backend = open_backend(store=config.store, endpoint=config.endpoint, timeout=config.query_timeout)
            try:
                body = backend.query(sparql, bindings=bindings, results_format=results_format,
                                     graph_format=graph_format).body
            finally:
                backend.close()
        else:
            # One query: read the store on disk rather than copy it into memory first.
            guard = QueryGuard.from_settings(layout.current_build(config.store),
                                             config.model_copy(update={"in_memory": False}), workers=1)
            try:
                answer = guard.run(_sparql_text(query), results_format=results_format, graph_format=graph_format)
            finally:
                guard.close()
            body = answer.body
            if answer.truncated:
                click.echo(f"warning: the answer was cut at {config.max_rows} rows (KG_MAX_ROWS)", err=True)
    except KGError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(body.decode("utf-8"), nl=not body.endswith(b"\n"))


def _sparql_text(query: str) -> str:
    """QUERY as SPARQL: the text of a ``.rq`` file if it names one, else QUERY itself."""
    path = Path(query)
    return path.read_text(encoding="utf-8") if path.suffix == ".rq" and path.is_file() else query


@cli.command(name="queries")
def list_queries() -> None:
    """List the named queries with their parameters."""
    from kg.queries import QueryCatalog

    for named in QueryCatalog.from_dir(settings().queries).values():
        params = " ".join(f"{p.name}={p.type}{'' if p.required else '?'}" for p in named.params)
        click.echo(f"{named.name}\t{named.title}\t{params}".rstrip())


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["nquads", "trig", "jsonld", "turtle", "ntriples", "rdfxml",
                                                    "graphml", "gexf", "node-link-json"]),
              default="nquads", show_default=True,
              help="RDF syntax (triples formats merge the graphs) or a graph format of a projection.")
@click.option("--projection", type=click.Choice(["rdf", "cases", "similarity", "actors", "concepts"]),
              help="Projection written by graphml, gexf and node-link-json [default: rdf].")
@click.option("-o", "--out", "--output", "output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: stdout).")
@store_option
@endpoint_option
@verbosity
def export(fmt: str, projection: str | None, output: Path | None, store: Path | None, endpoint: str | None) -> None:
    """Export the graph: the RDF, or a networkx projection for Gephi, Cytoscape or a notebook."""
    from kg.errors import KGError
    from kg.exports import export_bytes
    from kg.graph import open_graph

    config = settings(store=store, endpoint=endpoint)
    try:
        with open_graph(store=config.store, endpoint=config.endpoint, timeout=config.query_timeout,
                        queries=config.queries) as graph:
            data = export_bytes(graph, format=fmt, projection=projection)
    except KGError as exc:
        raise click.ClickException(exc.message) from exc
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


def _split_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep:
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--param")
    return name, value
