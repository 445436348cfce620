"""Backup and restore of the embedded store, and setting an unreadable one aside; never a deletion.

Both hold the ingest lock (:func:`advisor.ingest.sync.ingest_lock`), so no ingest writes while
the store is copied or replaced. A Chroma server is backed up with Chroma's own tools.
"""

from __future__ import annotations

import time
from pathlib import Path

from advisor.config import Settings
from advisor.errors import InputError, StoreBusy, StoreNotReady
from advisor.ingest.sync import ingest_lock


def set_aside(settings: Settings) -> Path | None:
    """Move an unreadable embedded store out of the way (never delete it)."""
    path = settings.chroma_path
    if not path.exists():
        return None
    target = path.with_name(f"chroma.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(target)
    settings.manifest_path.unlink(missing_ok=True)
    return target


def backup(settings: Settings, target: Path) -> Path:
    """Write the embedded store and its manifest to ``target`` (a .tar.gz), holding the ingest lock
    so no ingest writes while it is copied. A Chroma server is backed up with Chroma's own tools."""
    import tarfile

    from filelock import Timeout

    if settings.chroma_url:
        raise InputError("the index lives on a Chroma server; back it up there (copy its --path directory)")
    if not settings.chroma_path.exists():
        raise StoreNotReady(f"there is no index at {settings.chroma_path} to back up; run `advisor ingest` first")
    try:
        with ingest_lock(settings):
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(settings.chroma_path, arcname="chroma")
                if settings.manifest_path.exists():
                    tar.add(settings.manifest_path, arcname="manifest.json")
            partial.replace(target)  # a finished file or none
    except Timeout:
        raise StoreBusy("an ingest is running; back up when it has finished") from None
    return target


def restore(settings: Settings, source: Path) -> Path | None:
    """Replace the embedded store with a backup; the current one is moved aside, never deleted.
    Returns where the previous store went (None if there was none)."""
    import shutil
    import tarfile
    import tempfile

    from filelock import Timeout

    if settings.chroma_url:
        raise InputError("the index lives on a Chroma server; restore it there")
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 (closed by the `with archive` below)
    except (OSError, tarfile.TarError) as exc:
        raise InputError(f"cannot read the backup {source} ({exc}); pass a file made by `advisor backup`") from None
    with archive:
        names = archive.getnames()
        if "chroma" not in names or any(n.startswith(("/", "..")) or "/../" in n for n in names):
            raise InputError(f"{source} is not a backup made by `advisor backup`")
        try:
            with ingest_lock(settings):
                staging = Path(tempfile.mkdtemp(prefix="restore-", dir=settings.data))
                try:
                    archive.extractall(staging, filter="data")
                    moved = None
                    if settings.chroma_path.exists():
                        moved = settings.chroma_path.with_name(
                            f"chroma.before-restore-{time.strftime('%Y%m%d-%H%M%S')}"
                        )
                        settings.chroma_path.rename(moved)
                    (staging / "chroma").rename(settings.chroma_path)
                    if (staging / "manifest.json").exists():
                        (staging / "manifest.json").replace(settings.manifest_path)
                    else:
                        settings.manifest_path.unlink(missing_ok=True)  # stale: the next question re-checks the corpus
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
        except Timeout:
            raise StoreBusy("an ingest is running; restore when it has finished") from None
    return moved
