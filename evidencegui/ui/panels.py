"""The window's centre and right panels: the plot and comparison widgets of ui/survival_plot.py and
ui/comparison_panel.py (a message in place of the plot, a small built-in summary in place of the
comparison, should one fail to build)."""
from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from evidencegui.core.curves import TIME_UNITS
from evidencegui.ui.style import STYLES


class PlotPanel(QWidget):
    """Shows the survival plot of the current endpoint (ui/survival_plot.py).

    Should that widget fail to build (a broken pyqtgraph, say), the window still opens: the panel
    shows why instead of a plot, and ``note`` says so in the status bar.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.widget = None
        self.note = ""
        try:
            from evidencegui.ui.survival_plot import SurvivalPlotWidget
            self.widget = SurvivalPlotWidget(self)
            lay.addWidget(self.widget)
        except Exception as e:  # the rest of the window stays useful
            self.note = f"survival plot not available ({type(e).__name__}: {e})"
            lay.addWidget(QLabel(html.escape(self.note)))

    def show_endpoint(self, project, t_index, e_index, time_unit="months", style="screen", show_ci=True):
        if self.widget is None:
            return
        trial = ep = None
        try:
            if t_index is not None:
                trial = project.trials[t_index]
                ep = trial.endpoints[e_index] if e_index is not None else None
        except (IndexError, TypeError):
            trial = ep = None
        # Settings first, then one redraw with all of them.
        self.widget.set_view(time_unit if time_unit in TIME_UNITS else "months",
                             style if style in STYLES else "screen", show_ci, redraw=False)
        self.widget.set_endpoint(project, trial, ep)


class ComparisonView(QWidget):
    """Shows the comparison of each experimental arm with its control."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.external = None
        self.note = ""
        try:
            from evidencegui.ui.comparison_panel import ComparisonPanel
            self.external = ComparisonPanel(self)
            lay.addWidget(self.external)
            return
        except Exception as e:
            self.note = f"full comparison panel not available ({type(e).__name__}: {e}); summary shown"
        self.browser = QTextBrowser(self)
        lay.addWidget(QLabel("<b>Comparison with the control</b>"))
        lay.addWidget(self.browser)
        self.last_text = ""

    def show_endpoint(self, project, t_index, e_index):
        try:
            trial = project.trials[t_index]
            ep = trial.endpoints[e_index]
        except (IndexError, TypeError):
            trial = ep = None
        if self.external is not None:
            self.external.set_endpoint(project, trial, ep)
            return
        if ep is None:
            self.browser.setPlainText("No endpoint selected.")
            return
        self.last_text = comparison_html(trial, ep)
        self.browser.setHtml(self.last_text)


def comparison_html(trial, ep) -> str:
    """The small built-in summary shown should the full comparison panel fail to build; numbers
    written by io/format.py, as everywhere else."""
    from evidencegui.io import format as fmt
    try:
        from evidencegui.core.effects import compare_arms
    except ImportError as e:
        return f"<p>Comparisons are not available ({html.escape(str(e))}).</p>"
    ctl = ep.control
    if ctl is None:
        return "<p>Choose a control arm to see the comparisons.</p>"
    parts = []
    for arm in ep.experimental:
        try:
            c = compare_arms(trial, ep, arm, ctl)
            d = c.to_json()
        except Exception as e:
            parts.append(f"<p><b>{html.escape(arm.label)}</b>: cannot be compared ({html.escape(str(e))})</p>")
            continue
        lo, hi = (d.get("hr_ci") or [None, None])[:2]
        rows = [("Median gain (months)", fmt.fmt_gain(d.get("median_gain"))),
                ("Median ratio", fmt.fmt_ratio(d.get("median_ratio"))),
                ("HR (95% CI)", fmt.fmt_hr(d.get("hr"), lo, hi)),
                ("SE of log HR", fmt.MISSING if d.get("hr_se") is None else f"{d['hr_se']:.3f}"),
                ("Relative reduction", fmt.fmt_pct(d.get("relative_reduction")))]
        for lm in d.get("landmarks") or []:
            rows.append((f"Difference at {fmt.fmt_landmark(lm.get('time'))} months",
                         f"{fmt.fmt_points(lm.get('difference'))} ({fmt.fmt_nnt(lm.get('nnt'))})"))
        esmo = d.get("esmo_mcbs") or {}
        if esmo:
            rows.append((f"ESMO-MCBS {esmo.get('version', '')} form {esmo.get('form', '')}",
                         f"grade {esmo.get('final_grade', esmo.get('preliminary_grade'))}"))
        body = "".join(f"<tr><td>{html.escape(k)}</td><td align='right'><b>{html.escape(str(v))}</b></td></tr>"
                       for k, v in rows)
        rule = html.escape(str(esmo.get("rule", ""))) if esmo else ""
        parts.append(f"<h4>{html.escape(arm.label)} vs {html.escape(ctl.label)}</h4><table>{body}</table>"
                     + (f"<p style='color:#555'><small>{rule}</small></p>" if rule else ""))
    return "".join(parts) or "<p>No experimental arm.</p>"
