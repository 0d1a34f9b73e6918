"""The vendored browser assets: copied from node_modules by scripts/vendor_assets.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("vendor_assets", ROOT / "scripts" / "vendor_assets.py")
vendor_assets = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vendor_assets)


def fake_node_modules(root: Path) -> Path:
    """A node_modules tree holding every file the script copies."""
    modules = root / "node_modules"
    for package, source, _ in vendor_assets.ASSETS:
        path = modules / package / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {package}/{source} */")
    for package in {pkg for pkg, _, _ in vendor_assets.ASSETS}:
        (modules / package / "package.json").write_text(json.dumps({"version": "9.9.9"}))
    return modules


def test_every_asset_the_templates_load_is_vendored() -> None:
    templates = "".join(p.read_text() for p in (ROOT / "grader" / "templates").rglob("*.html"))
    targets = {destination for _, _, destination in vendor_assets.ASSETS}
    loaded = {part.split("'")[0] for part in templates.split("filename='vendor/")[1:]}
    assert loaded, "the templates load vendored assets"
    assert loaded <= targets


def test_package_json_pins_the_packages_the_script_needs() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name in {pkg for pkg, _, _ in vendor_assets.ASSETS}:
        assert name in package["dependencies"]
        assert f"node_modules/{name}" in lock["packages"]


def test_copies_files_and_records_versions(tmp_path: Path) -> None:
    modules = fake_node_modules(tmp_path)
    target = tmp_path / "vendor"
    (target / "stale.js").parent.mkdir(parents=True)
    (target / "stale.js").write_text("old")
    assert vendor_assets.main(["--modules", str(modules), "--target", str(target)]) == 0
    assert (target / "codemirror" / "mode" / "python.js").read_text() == \
        "/* codemirror/mode/python/python.js */"
    assert (target / "socket.io" / "socket.io.min.js").is_file()
    assert not (target / "stale.js").exists()
    assert json.loads((target / "versions.json").read_text())["codemirror"] == "9.9.9"


def test_missing_node_modules_is_one_clear_line(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code = vendor_assets.main(["--modules", str(tmp_path / "nothing"),
                               "--target", str(tmp_path / "vendor")])
    assert code == 1
    error = capsys.readouterr().err
    assert "npm ci --no-audit --no-fund" in error and error.count("\n") == 1
    assert not (tmp_path / "vendor").exists()
