"""pillow is a test dependency (the QR decoder below), not meettui's: an installed copy
draws codes and writes PNGs without it, and qrcode then skips its PIL drawers."""

from __future__ import annotations

import json
import subprocess
import sys

import zxingcpp
from PIL import Image

from meettui.core import qr

URL = "https://acme.whereby.com/support-9cf691bf-f2d5-4420-bda9-ee8607bb558b"

CHILD = """
import json, sys
sys.modules["PIL"] = None  # as installed: `import PIL` fails
from meettui.core import qr
matrix = qr.make_matrix(sys.argv[1])
qr.write_png(matrix, sys.argv[2])
loaded = sorted(name for name, module in sys.modules.items()
                if module is not None and name.split(".")[0] == "PIL")
print(json.dumps({"modules": [list(row) for row in matrix.modules], "pil": loaded}))
"""


def test_codes_are_drawn_and_written_without_pillow(tmp_path):
    png = tmp_path / "guest.png"
    done = subprocess.run([sys.executable, "-c", CHILD, URL, str(png)],
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert result["pil"] == []
    # The same code as with pillow importable (this process has it)...
    assert result["modules"] == [list(row) for row in qr.make_matrix(URL).modules]
    # ...and the PNG written without it scans as the link.
    decoded = zxingcpp.read_barcodes(Image.open(png))
    assert [d.text for d in decoded] == [URL]
