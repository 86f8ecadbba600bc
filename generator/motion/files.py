"""NAME.mp4 beside NAME.jpg: content-addressed, written atomically, kept when a rerun finds it complete."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ExportError
from generator.export import PostFiles, atomic_write, inside, prepare_folder
from generator.motion.encode import even_size
from generator.motion import timeline as clock
from generator.motion.timeline import Timeline
from generator.spec import PostSpec

VIDEO_EXTENSION = "mp4"


@dataclass(frozen=True)
class WrittenVideo:
    spec: PostSpec
    path: Path
    status: str  # written or kept
    byte_count: int
    sha256: str
    seconds: float

    def as_json(self) -> dict:
        width, height = even_size(self.spec.format.size)
        return {"video": str(self.path), "video_status": self.status, "video_bytes": self.byte_count,
                "video_sha256": self.sha256, "video_seconds": self.seconds,
                "video_width": width, "video_height": height}


def video_path(spec: PostSpec, folder: Path) -> Path:
    """The image's own name with .mp4 (the name already addresses every input), inside `folder`."""
    return _video_beside(PostFiles.for_spec(spec, Path(folder)))


def _video_beside(files: PostFiles) -> Path:
    return inside(files.image.parent, f"{files.image.stem}.{VIDEO_EXTENSION}")


def write_animation(spec: PostSpec, folder: Path, force: bool = False, seconds: float | None = None,
                    processes: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> WrittenVideo:
    """Write NAME.mp4 (and the caption and alt text beside it, if missing); a complete one is kept."""
    from generator.motion.clip import animate_post

    seconds = clock.SECONDS if seconds is None else seconds
    folder = Path(folder)
    files = PostFiles.for_spec(spec, folder)
    path = _video_beside(files)
    timeline = Timeline(seconds)
    duration = timeline.frame_count / timeline.fps
    if path.is_file() and not force and files.caption.is_file() and files.alt.is_file():
        data = path.read_bytes()
        return WrittenVideo(spec, path, "kept", len(data), hashlib.sha256(data).hexdigest(), duration)
    data = animate_post(spec, seconds, processes, progress)
    prepare_folder(folder)
    try:
        for sidecar, text in ((files.caption, spec.caption), (files.alt, spec.alt_text)):
            if not sidecar.is_file():
                atomic_write(sidecar, (text + "\n").encode("utf-8"))
        atomic_write(path, data)
    except OSError as exc:
        raise ExportError(f"--out {folder}: cannot write {path.name} ({exc.strerror or exc})") from None
    return WrittenVideo(spec, path, "written", len(data), hashlib.sha256(data).hexdigest(), duration)


def write_animations(specs: list[PostSpec], folder: Path, force: bool = False,
                     progress: Callable[[PostSpec, int, int], None] | None = None) -> list[WrittenVideo]:
    return [write_animation(spec, folder, force,
                            progress=(lambda done, total, spec=spec: progress(spec, done, total)) if progress else None)
            for spec in specs]
