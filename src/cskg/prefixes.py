"""Prefix -> namespace IRI, as plain strings, for SPARQL and serialisation.

Kept apart from :mod:`cskg.namespaces` (which builds rdflib namespaces from the same
IRIs) so that commands that only query the store, such as ``cskg query``, start
without importing rdflib: 0.1-0.15 s of every cold process. A test checks the two agree.
"""

from __future__ import annotations

#: Prefix -> namespace IRI, for Turtle/TriG serialisation and SPARQL.
PREFIXES: dict[str, str] = {
    "cskg": "https://w3id.org/cskg/def#",
    "cskgid": "https://w3id.org/cskg/id/",
    "graph": "https://w3id.org/cskg/graph/",
    "vocab": "https://w3id.org/cskg/vocab/",
    "grade": "https://w3id.org/cskg/vocab/grade/",
    "area": "https://w3id.org/cskg/vocab/area/",
    "theme": "https://w3id.org/cskg/vocab/theme/",
    "service": "https://w3id.org/cskg/vocab/service/",
    "framework": "https://w3id.org/cskg/vocab/framework/",
    "format": "https://w3id.org/cskg/vocab/format/",
    "kind": "https://w3id.org/cskg/vocab/kind/",
    "role": "https://w3id.org/cskg/vocab/role/",
    "authority": "https://w3id.org/cskg/vocab/authority/",
    "tenure": "https://w3id.org/cskg/vocab/tenure/",
    "status": "https://w3id.org/cskg/vocab/status/",
    "sector": "https://w3id.org/cskg/vocab/sector/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def sparql_prologue() -> str:
    """Return one ``PREFIX p: <iri>`` line per entry of :data:`PREFIXES`, newline-terminated."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
