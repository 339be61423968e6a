"""The on-disk layout of a store directory, and its atomic replacement.

::

    {store}/current -> builds/{stamp}      symlink, swapped atomically by os.replace
    {store}/builds/{stamp}/oxigraph/       the pyoxigraph (RocksDB) store
    {store}/builds/{stamp}/urbanai-kg.nq   N-Quads dump, named graphs kept
    {store}/builds/{stamp}/build.json      version, build time, commit, counts

A build writes a new ``builds/{stamp}`` beside the served one and swaps ``current`` only once
everything is written; a failed or killed build leaves ``current`` as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pyoxigraph import Quad, RdfFormat, Store

from kg.errors import StoreNotFound

CURRENT = "current"
BUILDS = "builds"
OXIGRAPH = "oxigraph"
DUMP = "urbanai-kg.nq"
MANIFEST = "build.json"


def current_build(store_dir: Path) -> Path:
    """The directory of the build being served.

    :raises StoreNotFound: if nothing has been built there.
    """
    link = store_dir / CURRENT
    target = link.resolve()
    if not link.is_symlink() or not (target / MANIFEST).is_file():
        raise StoreNotFound(f"no built store in {store_dir}: run `urbanai-kg build --store {store_dir}`",
                            path=str(store_dir))
    return target


def read_manifest(build_dir: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    return result


def new_build_dir(store_dir: Path, stamp: str) -> Path:
    """A fresh, hidden directory for a build in progress."""
    (store_dir / BUILDS).mkdir(parents=True, exist_ok=True)
    path = store_dir / BUILDS / f".partial-{stamp}-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    return path


def write_store(quads: Iterable[Quad], store_dir: Path, *, stamp: str, manifest: dict[str, Any],
                dump: bool = True) -> Path:
    """Write quads as a new build (store, N-Quads dump, manifest) beside the current one, then publish it.

    :returns: the new build's directory, now ``current``.
    """
    partial = new_build_dir(store_dir, stamp)
    store = Store(str(partial / OXIGRAPH))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    if dump:
        store.dump(output=str(partial / DUMP), format=RdfFormat.N_QUADS)
    del store
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return publish(store_dir, partial, stamp)


def publish(store_dir: Path, partial: Path, stamp: str, *, keep: int = 2) -> Path:
    """Make a finished build current, atomically, and drop all but the ``keep`` newest builds."""
    final = store_dir / BUILDS / stamp
    partial.rename(final)
    tmp_link = store_dir / f".{CURRENT}-{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(Path(BUILDS) / stamp)
    os.replace(tmp_link, store_dir / CURRENT)
    builds = sorted(p for p in (store_dir / BUILDS).iterdir() if not p.name.startswith("."))
    for old in builds[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final
