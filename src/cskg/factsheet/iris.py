"""The IRIs a fact sheet's quads are made of: namespaces, slugs and GSS codes.

The namespaces are plain strings from ``cskg.namespaces.PREFIXES``, because the package speaks pyoxigraph; IRIs
are minted by the rules of docs/model.md, from ``slugify``'d names.
"""

from __future__ import annotations

import re
import unicodedata

from cskg.namespaces import PREFIXES

CSKG = PREFIXES["cskg"]
ID = PREFIXES["cskgid"]
VOCAB = PREFIXES["vocab"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dcterms"]
PROV = PREFIXES["prov"]
ORG = PREFIXES["org"]
TIME = PREFIXES["time"]
SDO = PREFIXES["schema"]
XSD = PREFIXES["xsd"]

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
