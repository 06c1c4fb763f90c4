"""Convert DOCX to PDF in a running LibreOffice, through its UNO bridge on a local pipe.

Run by the Python that has LibreOffice's `uno` module (Debian's python3-uno: /usr/bin/python3),
not by the engine's: it imports nothing of the engine. `engine/render/pdf.py` starts it next to a
headless LibreOffice listening on `--accept=pipe,name=NAME;urp;` (a local socket in /tmp, no
network) and talks to it by lines of JSON on stdin/stdout:

    → {"source": "/abs/a.docx", "target": "/abs/a.pdf", "pdf_a": false}
    ← {"ok": true}        or  {"ok": false, "error": "…"}

It first answers {"ready": true} once connected (or {"ok": false, "error": …} and exits), and
stops LibreOffice when stdin closes.

    python3 uno_bridge.py PIPE_NAME SECONDS_TO_CONNECT
"""

import json
import sys
import time


def main() -> int:
    name, wait = sys.argv[1], float(sys.argv[2])
    try:
        import uno
        from com.sun.star.beans import PropertyValue
    except ImportError as exc:
        return _reply({"ok": False, "error": f"module uno absent ({exc})"}, 1)

    def props(**values):
        found = []
        for key, value in values.items():
            item = PropertyValue()
            item.Name, item.Value = key, value
            found.append(item)
        return tuple(found)

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + wait
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={name};urp;StarOffice.ComponentContext")
            break
        except Exception as exc:  # noqa: BLE001 - NoConnectException until LibreOffice listens
            if time.monotonic() > deadline:
                return _reply({"ok": False, "error": f"LibreOffice injoignable ({exc})"}, 1)
            time.sleep(0.05)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    _reply({"ready": True})
    for line in sys.stdin:
        job = json.loads(line)
        try:
            document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["source"]), "_blank", 0,
                                                    props(Hidden=True, ReadOnly=True))
            if document is None:
                raise RuntimeError("document illisible")
            try:
                export = props(FilterName="writer_pdf_Export")
                if job["pdf_a"]:  # PDF/A-2b, as `--convert-to 'pdf:writer_pdf_Export:{"SelectPdfVersion"…}'`
                    export += props(FilterData=uno.Any("[]com.sun.star.beans.PropertyValue",
                                                       props(SelectPdfVersion=2)))
                document.storeToURL(uno.systemPathToFileUrl(job["target"]), export)
            finally:
                document.close(True)
            _reply({"ok": True})
        except Exception as exc:  # noqa: BLE001 - reported for this document, the next one goes on
            _reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
    try:
        desktop.terminate()
    except Exception:  # noqa: BLE001, S110 - the bridge goes down with LibreOffice
        pass
    return 0


def _reply(message: dict, code: int | None = None) -> int | None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
