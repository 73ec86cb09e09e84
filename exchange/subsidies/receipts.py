"""Receipt files: JPEG, PNG or PDF told from their content, at most 5 MB each, stored
content-addressed under the instance folder and read back only through their claim."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from exchange.core.errors import Invalid
from exchange.core.files import sniff

MAX_BYTES = 5 * 1024 * 1024
TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check_receipts(files: list[tuple[str, bytes]]) -> list[Upload]:
    """Every file checked; all problems at once (422 invalid with one detail per file)."""
    if not files:
        raise Invalid.field("receipts", "missing", _("Attach at least one receipt (JPEG, PNG or PDF)"))
    uploads, details = [], []
    for index, (filename, data) in enumerate(files):
        field = f"receipts[{index}]"
        filename = (filename or "").replace("\x00", "")   # a name is kept as text: no NUL in it
        kind = sniff(data) if data else None
        if not data:
            details.append({"field": field, "code": "missing", "message": _("The file %(name)s is empty", name=filename)})
        elif len(data) > MAX_BYTES:
            details.append({"field": field, "code": "too_large", "message": _("%(name)s is larger than 5 MB", name=filename)})
        elif kind not in TYPES:
            details.append({"field": field, "code": "bad_file", "message": _("%(name)s is not a JPEG, PNG or PDF file", name=filename)})
        else:
            uploads.append(Upload(filename=(filename or f"receipt.{kind}")[:255], content_type=TYPES[kind], data=data))
    if details:
        raise Invalid(message=_("%(n)s receipt(s) cannot be accepted", n=len(details)), details=details)
    return uploads


def _path(ctx, sha256: str) -> Path:
    return ctx.settings.instance_dir / "receipts" / sha256[:2] / sha256


def store(ctx, upload: Upload) -> str:
    """Writes the file once under its hash (atomically); returns the hash."""
    digest = upload.sha256
    path = _path(ctx, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temporary:
            temporary.write(upload.data)
        os.replace(temporary.name, path)
        os.chmod(path, 0o640)
    return digest


def read(ctx, sha256: str) -> bytes:
    return _path(ctx, sha256).read_bytes()
