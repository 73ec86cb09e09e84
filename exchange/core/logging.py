"""Personal identifiers never reach a log: every log record, whichever library writes it
(werkzeug's and gunicorn's request lines included), has anything shaped like a resident ID, a
mobile number or a bank account redacted when it is created."""
from __future__ import annotations

import logging
import re

_PATTERNS = (
    (re.compile(r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![0-9])"), "[ID]"),
    (re.compile(r"(?<![0-9])(?:\+?86)?1\d{10}(?![0-9])"), "[PHONE]"),
    (re.compile(r"(?<![0-9])\d{15,19}(?![0-9])"), "[NUMBER]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


_FORMATTER = logging.Formatter()


def install_redaction() -> None:
    """Wraps the log record factory once per process."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacting", False):
        return

    def make_record(*args, **kwargs):
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text: a traceback quoting a value is redacted too.
            record.exc_text = redact(_FORMATTER.formatException(record.exc_info))
        return record

    make_record.redacting = True
    logging.setLogRecordFactory(make_record)
