"""Reference libraries: versioned YAML files (taxonomies, frameworks, rules, lexicons) loaded into the
database by ``lvzhi load-library``. Each app registers a loader for the ``kind`` it owns."""

from pathlib import Path

import yaml

LIBRARY_DIR = Path(__file__).resolve().parent.parent / "libraries"
_loaders = {}


class LibraryError(Exception):
    pass


def register_loader(kind, loader):
    """``loader(data, path, user) -> str`` loads one library file and returns a one-line summary."""
    _loaders[kind] = loader


def read(path):
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LibraryError(f"文件 {path.name}：无法解析（{exc}）")
    if not isinstance(data, dict) or "kind" not in data or "version" not in data:
        raise LibraryError(f"文件 {path.name}：缺少 kind 或 version 字段")
    return data


def library_files():
    return sorted(p for p in LIBRARY_DIR.glob("*.yaml") if p.name != "demo_city.yaml")


def load(paths=None, user=None):
    """Load the given library files (default: every bundled library). Returns summary lines."""
    lines = []
    for path in paths or library_files():
        data = read(path)
        loader = _loaders.get(data["kind"])
        if loader is None:
            lines.append(f"{Path(path).name}：类别 {data['kind']} 由尚未启用的模块使用，已跳过")
            continue
        lines.append(f"{Path(path).name}：{loader(data, Path(path), user)}")
    return lines


def library_path(name):
    return LIBRARY_DIR / name
