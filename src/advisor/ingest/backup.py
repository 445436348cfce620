"""Backup and restore of the embedded store, and setting an unreadable one aside; never a deletion.

Both hold the ingest lock (:func:`advisor.ingest.sync.ingest_lock`), so no ingest writes while
the store is copied or replaced. A backup holds the current generation (generations.py); a restore
becomes a new generation, published like an ingest's, so a running server moves onto it. A Chroma
server is backed up with Chroma's own tools.
"""

from __future__ import annotations

import time
from pathlib import Path

from advisor.config import Settings
from advisor.errors import InputError, StoreBusy, StoreNotReady
from advisor.ingest import generations
from advisor.ingest.sync import ingest_lock


def set_aside(settings: Settings) -> Path | None:
    """Move an unreadable embedded store (the current generation) out of the way, never delete it;
    the next ingest builds from nothing."""
    try:
        gen = generations.current(settings)
    except StoreNotReady:  # the pointer itself is unreadable: forget it, the generations stay until cleanup
        generations.unpublish(settings)
        return None
    if gen is None or not gen.chroma.exists():
        return None
    target = settings.data / f"chroma.broken-{time.strftime('%Y%m%d-%H%M%S')}"
    gen.chroma.rename(target)
    gen.manifest.unlink(missing_ok=True)
    generations.unpublish(settings)
    return target


def backup(settings: Settings, target: Path) -> Path:
    """Write the embedded store and its manifest to ``target`` (a .tar.gz), holding the ingest lock
    so no ingest writes while it is copied. A Chroma server is backed up with Chroma's own tools."""
    import tarfile

    from filelock import Timeout

    if settings.chroma_url:
        raise InputError("the index lives on a Chroma server; back it up there (copy its --path directory)")
    try:
        with ingest_lock(settings):
            gen = generations.current(settings)
            if gen is None:
                raise StoreNotReady(f"there is no index in {settings.data} to back up; run `advisor ingest` first")
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(gen.chroma, arcname="chroma")
                if gen.manifest.exists():
                    tar.add(gen.manifest, arcname="manifest.json")
            partial.replace(target)  # a finished file or none
    except Timeout:
        raise StoreBusy("an ingest is running; back up when it has finished") from None
    return target


def restore(settings: Settings, source: Path) -> Path | None:
    """Publish a backup as the next generation; a copy of the current one is kept, never deleted.
    Returns where the copy of the previous store went (None if there was none)."""
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
                    moved = _keep_current(settings)
                    _publish_restored(settings, staging)
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
                generations.cleanup(settings)
        except Timeout:
            raise StoreBusy("an ingest is running; restore when it has finished") from None
    return moved


def _keep_current(settings: Settings) -> Path | None:
    """A copy of the current generation's files beside the data (a server may still read the original)."""
    import shutil

    gen = generations.current(settings)
    if gen is None or not gen.chroma.exists():
        return None
    kept = settings.data / f"chroma.before-restore-{time.strftime('%Y%m%d-%H%M%S')}"
    shutil.copytree(gen.chroma, kept)
    return kept


def _publish_restored(settings: Settings, staging: Path) -> None:
    """The extracted backup in ``staging`` becomes the next generation (a backup without a manifest is
    stale: the next question re-checks the corpus)."""
    gen = generations.begin(settings)
    gen.chroma.rmdir()
    (staging / "chroma").rename(gen.chroma)
    if (staging / "manifest.json").exists():
        (staging / "manifest.json").replace(gen.manifest)
    generations.publish(settings, gen)
