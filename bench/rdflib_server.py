"""Serve an N-Quads file with rdflib-endpoint, the usual Python choice, for comparison:
``python bench/rdflib_server.py FILE.nq PORT`` (the default graph is the union of the named graphs)."""

from __future__ import annotations

import sys

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint

if __name__ == "__main__":
    dataset = Dataset(default_union=True)
    dataset.parse(sys.argv[1], format="nquads")
    uvicorn.run(SparqlEndpoint(graph=dataset, path="/sparql"), host="127.0.0.1", port=int(sys.argv[2]),
                log_level="warning")
