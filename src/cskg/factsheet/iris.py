"""The IRIs a fact sheet's quads are made of: namespaces, slugs and GSS codes.

The namespaces are plain strings, because the package speaks pyoxigraph; IRIs
are minted by the rules of docs/model.md, from ``slugify``'d names.
"""

from __future__ import annotations

import re
import unicodedata

CSKG = "https://w3id.org/cskg/def#"
ID = "https://w3id.org/cskg/id/"
VOCAB = "https://w3id.org/cskg/vocab/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
SDO = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

TYPE = RDF + "type"
LABEL = RDFS + "label"
ALT_LABEL = SKOS + "altLabel"

#: A council's GSS code, the last segment of its IRI (cskgid:council/E08000001).
GSS = re.compile(r"^[EWSN][0-9]{8}$")


def slugify(text: str) -> str:
    """docs/model.md's slug: lower-case, ASCII-fold, '&' -> 'and', non-[a-z0-9] runs -> '-'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
