"""The LibreOffice driver, run by the system Python that has ``uno`` (Debian's
``python3-uno`` is built for ``/usr/bin/python3``, not for the project's interpreter).

Not imported by occubench: :class:`core.documents.office.LibreOffice` starts it as
``/usr/bin/python3 -I uno_worker.py PIPE STARTUP_TIMEOUT`` next to a ``soffice`` that
listens on the named pipe. It speaks JSON lines: it prints ``{"ready": true}`` once
connected, then for each request ``{"src", "dest", "target": "pdf"|"xlsx"}`` on stdin it
answers ``{"ok": true}`` or ``{"ok": false, "error": ..., "fatal": bool}`` (fatal: the
office process is gone; the renderer restarts both). On stdin EOF (the renderer closed
or died) it asks soffice to quit, so no office process outlives its owner.
Standard library and uno only; keep it runnable on the system Python.
"""

import contextlib
import json
import os
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {
    ("pdf", "writer"): "writer_pdf_Export",
    ("pdf", "calc"): "calc_pdf_Export",
    ("pdf", "impress"): "impress_pdf_Export",
    ("pdf", "draw"): "draw_pdf_Export",
    ("xlsx", "calc"): "Calc MS Excel 2007 XML",
}


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe, timeout):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    end = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.monotonic() > end:
                raise
            time.sleep(0.05)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def family(doc):
    if doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        return "calc"
    if doc.supportsService("com.sun.star.presentation.PresentationDocument"):
        return "impress"
    if doc.supportsService("com.sun.star.drawing.DrawingDocument"):
        return "draw"
    return "writer"


def convert(desktop, src, dest, target):
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(src),
        "_blank",
        0,
        (
            prop("Hidden", True),
            prop("ReadOnly", True),
            prop("MacroExecutionMode", 0),  # NEVER_EXECUTE
            prop("UpdateDocMode", 0),  # NO_UPDATE: no external links fetched
        ),
    )
    if doc is None:
        raise ValueError("LibreOffice could not open the file")
    try:
        kind = family(doc)
        if (target, kind) not in FILTERS:
            raise ValueError(f"cannot convert a {kind} document to {target}")
        if kind == "calc":
            doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(dest), (prop("FilterName", FILTERS[target, kind]),))
    finally:
        with contextlib.suppress(Exception):
            doc.close(True)


def alive(desktop):
    try:
        desktop.getComponents()
        return True
    except Exception:
        return False


def main():
    pipe, timeout = sys.argv[1], float(sys.argv[2])
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints from libraries go to the log, not the protocol

    def reply(**msg):
        out.write(json.dumps(msg) + "\n")
        out.flush()

    try:
        desktop = connect(pipe, timeout)
    except Exception as exc:
        reply(ready=False, error=f"could not connect to LibreOffice: {exc}")
        return 1
    reply(ready=True)
    for line in sys.stdin:
        try:
            req = json.loads(line)
            convert(desktop, req["src"], req["dest"], req["target"])
            reply(ok=True)
        except Exception as exc:
            name = getattr(exc, "typeName", type(exc).__name__)
            text = " ".join(str(getattr(exc, "Message", "") or exc).split())[:300]
            reply(ok=False, error=f"{name}: {text}".strip(": "), fatal=not alive(desktop))
    with contextlib.suppress(Exception):
        desktop.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
