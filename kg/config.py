"""Settings (``KG_``-prefixed environment variables) and where the project's files are."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def resource_dir(name: str) -> Path:
    """Find ``ontology``, ``data`` or ``queries``: packaged in a wheel, else in the repository.

    A wheel carries copies under ``kg/_resources/`` (see ``pyproject.toml``); an editable install
    or a plain checkout reads the repository's own directories.
    """
    packaged = Path(str(files("kg"))) / "_resources" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def default_store() -> Path:
    return user_data_path("urbanai-kg") / "store"


class Settings(BaseSettings):
    """Configuration of the build and the server; each field reads ``KG_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="KG_", env_file=".env", extra="ignore")

    data: Path = Field(default_factory=lambda: resource_dir("data"),
                       description="Directory of curated YAML records.")
    ontology: Path = Field(default_factory=lambda: resource_dir("ontology"),
                           description="Directory of the ontology, concept schemes and shapes.")
    queries: Path = Field(default_factory=lambda: resource_dir("queries"),
                          description="Directory of named SPARQL queries.")
    store: Path = Field(default_factory=default_store,
                        description="Directory of the built store the server opens.")
    endpoint: str | None = Field(default=None,
                                 description="URL of a remote SPARQL endpoint to serve instead of the store.")
    host: str = Field(default="127.0.0.1", description="Address the server listens on.")
    port: int = Field(default=8000, description="Port the server listens on (0: any free port).")
    public_url: str = Field(default="https://w3id.org/urbanai-kg/",
                            description="Public base URL at which the server answers the graph's IRIs.")
    query_timeout: float = Field(default=10.0, description="Seconds a user query may run.")
    max_rows: int = Field(default=10_000, description="Rows a query may return before it is truncated.")
    query_workers: int = Field(default=2, description="Worker processes that run user SPARQL (concurrent queries).")
    query_wait: float = Field(default=2.0, description="Seconds a user query waits for a free worker before "
                              "the answer is 503 with Retry-After.")
    query_memory: int = Field(default=2048, description="Megabytes a query may add to its worker's size at rest (the store copy) before it is killed.")
    max_query_length: int = Field(default=100_000, description="Characters a SPARQL query may have.")
    max_query_depth: int = Field(default=64, description="Nesting depth of braces and brackets a query may have.")
    in_memory: bool = Field(default=True, description="Serve a copy of the store in memory (faster; each query "
                            "worker holds one too) rather than reading it on disk.")
    access_log: bool = Field(default=False, description="Log every HTTP request (uvicorn's access log; it costs "
                             "0.06–0.1 ms a request, and a proxy in front usually logs them anyway).")
    reason: bool = Field(default=True, description="Run the HermiT consistency check during the build.")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
