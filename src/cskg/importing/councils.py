"""The councils already in the graph, found by the codes the national tables join on."""

from __future__ import annotations

from dataclasses import dataclass, field

from cskg.store import GraphStore


@dataclass
class Council:
    iri: str
    gss: str
    label: str


@dataclass
class Councils:
    """Councils by Ofsted URN and by DfE LA code, as the graph knows them."""

    by_urn: dict[str, Council] = field(default_factory=dict)
    by_dfe: dict[str, Council] = field(default_factory=dict)

    @classmethod
    def of(cls, store: GraphStore) -> Councils:
        rows = store.query(
            "SELECT DISTINCT ?c ?gss ?urn ?dfe (MIN(?l) AS ?label) WHERE { "
            "?c a cskg:Council ; cskg:gssCode ?gss . "
            "OPTIONAL { ?c cskg:ofstedUrn ?urn } OPTIONAL { ?c cskg:dfeLaCode ?dfe } "
            "OPTIONAL { ?c rdfs:label ?l } } GROUP BY ?c ?gss ?urn ?dfe"
        )
        found = cls()
        for r in rows:
            label = r["label"].value if r["label"] is not None else r["gss"].value
            council = Council(r["c"].value, r["gss"].value, label)
            if r["urn"] is not None:
                found.by_urn[r["urn"].value] = council
            if r["dfe"] is not None:
                found.by_dfe[r["dfe"].value] = council
        return found

    def __bool__(self) -> bool:
        return bool(self.by_urn or self.by_dfe)
