import subprocess
import sys


def test_headless_layers_do_not_import_textual():
    code = (
        "import sys\n"
        "import meettui.core.cache, meettui.core.config, meettui.core.service, "
        "meettui.core.http, meettui.core.models\n"
        "import meettui.providers.registry, meettui.providers.jitsi\n"
        "import meettui.cli, meettui.runtime, meettui.demo\n"
        "meettui.cli.build_parser()\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"textual imported by the headless layers: {out.stdout}"
