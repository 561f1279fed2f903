"""About: version and the licences of the libraries the program is built on."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

LICENCES = [
    ("Qt for Python (PySide6)", "LGPL-3.0"), ("pyqtgraph", "MIT"), ("NumPy", "BSD-3-Clause"),
    ("pandas", "BSD-3-Clause"), ("SciPy", "BSD-3-Clause"), ("openpyxl", "MIT"),
    ("python-pptx", "MIT"),
]


def about_html() -> str:
    from evidencegui import __version__
    rows = "".join(f"<tr><td>{n}</td><td>&nbsp;{lic}</td></tr>" for n, lic in LICENCES)
    return (f"<h3>EvidenceGUI {__version__}</h3><p>Compare clinical-trial arms: survival curves, "
            "absolute gains and ratios, ESMO-MCBS grades, workbook and slides.</p>"
            f"<p>Licence: MIT.</p><p>Built on:</p><table>{rows}</table>"
            "<p>Qt is used under the LGPL; its libraries can be replaced by the user.</p>")


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, "About EvidenceGUI", about_html())
