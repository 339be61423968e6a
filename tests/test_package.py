"""The public surface: exported names and documented settings."""

from __future__ import annotations

from pathlib import Path

import kg
from kg.config import Settings

ROOT = Path(__file__).parent.parent


def test_exported_members_are_exactly_the_public_api() -> None:
    import __future__

    public = {name for name in dir(kg) if not name.startswith("_")
              and not isinstance(getattr(kg, name), (type(kg), __future__._Feature))}
    assert set(kg.__all__) - {"__version__"} == public
    for name in kg.__all__:
        assert hasattr(kg, name)


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`KG_{name.upper()}`" in readme, f"KG_{name.upper()} is not in the README's settings table"
        assert field.description, f"setting {name} has no description"


def test_package_ships_py_typed() -> None:
    assert (Path(kg.__file__).parent / "py.typed").is_file()
