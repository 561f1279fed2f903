"""The main window's layout: the plot in the centre (or the start page), the arms table with its
buttons in a dock along the bottom edge, the project tree on the left, the comparison on the right,
and their default sizes. ``window`` is the MainWindow (ui/main_window.py) being built."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from evidencegui.ui import keyboard
from evidencegui.ui.arms_model import ArmsTableModel
from evidencegui.ui.panels import ComparisonView, PlotPanel
from evidencegui.ui.project_tree import ProjectTree

def build(window) -> None:
    """The window's widgets: the plot (centre), the arms table (bottom dock, with its buttons),
    the project tree (left dock) and the comparison (right dock)."""
    window.model = ArmsTableModel(push=window.push, parent=window)
    window.model.invalid_input.connect(lambda m: window.statusBar().showMessage("Not accepted — " + m, 10000))
    window.table = keyboard.ArmsTableView()
    window.table.setModel(window.model)
    window.table.leave.connect(window.cycle_panes)
    window.table.setAlternatingRowColors(False)
    window.table.horizontalHeader().setStretchLastSection(True)
    window.table.horizontalHeader().setMinimumSectionSize(36)
    window.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
    window.plot = PlotPanel()
    buttons = QHBoxLayout()
    window.arm_buttons = {}
    # short labels, full text in the tooltips: the row must not force the centre wider
    # than the window leaves between the two docks
    for key, text, tip, slot in (
            ("add", "Add arm", "Add an arm to this endpoint", window.add_arm),
            ("dup", "Duplicate", "Duplicate the selected arm", window.duplicate_arm),
            ("remove", "Remove", "Remove the selected arm", window.remove_arm),
            ("up", "▲", "Move the selected arm up", lambda: window.move_arm(-1)),
            ("down", "▼", "Move the selected arm down", lambda: window.move_arm(1)),
            ("control", "Make control", "Make the selected arm the control", window.make_control),
            ("landmark", "Landmark…", "Add a column for survival at a time point (e.g. 24 months)",
             window.add_landmark_column)):
        b = QPushButton(text)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        if len(text) == 1:
            b.setFixedWidth(b.fontMetrics().horizontalAdvance("MM") + 12)
        buttons.addWidget(b)
        window.arm_buttons[key] = b
    buttons.addStretch(1)
    table_box = QWidget()
    tl = QVBoxLayout(table_box)
    tl.setContentsMargins(4, 0, 4, 4)
    tl.addLayout(buttons)
    tl.addWidget(window.table)
    # The plot is the centre; the arms table is a dock along the whole bottom edge (under the
    # tree and the comparison too), so every column, HR included, shows at 1400 px.
    from PySide6.QtWidgets import QStackedWidget
    window.centre = QStackedWidget()        # the plot, or the start page (start_page.py)
    window.centre.addWidget(window.plot)
    window.setCentralWidget(window.centre)
    window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
    window.table_dock = QDockWidget("Arms", window)
    window.table_dock.setObjectName("arms_dock")
    window.table_dock.setWidget(table_box)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.table_dock)
    window.tree = ProjectTree()
    window.tree.endpoint_selected.connect(window.show_endpoint)
    window.tree.arm_selected.connect(lambda _t, _e, a: window.table.setCurrentIndex(
        window.model.index(a, max(window.table.currentIndex().column(), 0))))
    window.tree_dock = QDockWidget("Project", window)
    window.tree_dock.setObjectName("project_dock")
    window.tree_dock.setWidget(window.tree)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.tree_dock)
    window.comparison = ComparisonView()
    window.comparison_dock = QDockWidget("Comparison", window)
    window.comparison_dock.setObjectName("comparison_dock")
    window.comparison_dock.setWidget(window.comparison)
    window.comparison_dock.setMinimumWidth(340)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.comparison_dock)
    size_docks(window)
    request = getattr(window.comparison.external, "esmo_context_requested", None)
    if request is not None:
        request.connect(lambda: window.edit_esmo_context())
    for note in (window.plot.note, window.comparison.note):
        if note:
            window.statusBar().showMessage(note, 15000)

TABLE_HEIGHT = 190         # px: the arm buttons, the header and a few arms
COMPARISON_WIDTH = 450     # px: measure, reported and patient-data columns without scrolling

def tree_width(window) -> int:
    """Wide enough for the names, but at most 22% of the window: the plot comes first on a
    small screen (a cut name still shows in full on hover)."""
    return max(180, min(window.tree.sizeHint().width(), int(window.width() * 0.22)))

def size_docks(window) -> None:
    """Default dock widths: the tree as wide as its names (within limits), the comparison
    wide enough for its three columns; the plot takes the rest. A saved state overrides."""
    tree_w = tree_width(window)
    comp_w = min(COMPARISON_WIDTH, max(340, window.width() // 3))
    window.resizeDocks([window.tree_dock, window.comparison_dock], [tree_w, comp_w],
                     Qt.Orientation.Horizontal)
    window.resizeDocks([window.table_dock], [TABLE_HEIGHT], Qt.Orientation.Vertical)
