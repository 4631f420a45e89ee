"""``cskg push``: the graph onto an external SPARQL server (see ``cskg.remote``)."""

from typing import Annotated

import typer

from cskg.cli import _project


def push(
    endpoint: Annotated[str, typer.Option(
        "--endpoint", help="The server's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query "
        "(Oxigraph), http://host:3030/ds/query (Fuseki), http://host:7200/repositories/NAME "
        "(GraphDB), http://host:8890/sparql-auth (Virtuoso).", show_default=False)],
    graph_store: Annotated[str | None, typer.Option(
        "--graph-store", help="Its Graph Store Protocol address, when cskg cannot tell it from "
        "--endpoint.", show_default=False)] = None,
) -> None:
    """Upload every named graph (one per source, and the ontology) to a SPARQL 1.1 server with the
    Graph Store Protocol, replacing what the server held for each, and delete the cskg graphs
    it holds that the project no longer has. Credentials come from CSKG_ENDPOINT_TOKEN, or
    CSKG_ENDPOINT_USER and CSKG_ENDPOINT_PASSWORD.

    Example: cskg push --endpoint http://127.0.0.1:7878/query
    """
    from cskg.remote import push as push_graphs
    from cskg.store import open_store

    # a server is not made to hold a store that a malformed file keeps behind its files
    with open_store(_project(), keep_last_good=False) as store:
        report = push_graphs(store, endpoint, graph_store)
    done = report.pushed
    for item in done:
        typer.echo(f"pushed {item.triples:>8} triples  {item.file}")
    for graph in report.removed:
        typer.echo(f"removed  {graph} (no longer in the project)")
    typer.echo(f"{len(done)} graphs, {sum(d.triples for d in done)} triples -> {endpoint}")
