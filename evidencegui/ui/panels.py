"""The window's centre and right panels: the plot and comparison widgets of ui/survival_plot.py and
ui/comparison_panel.py when present, else small built-in views that draw what core computes."""
from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]  # Okabe–Ito


class PlotPanel(QWidget):
    """Shows the survival plot of the current endpoint (ui/survival_plot.py).

    Should that widget fail to build (a broken pyqtgraph, say), a bare pyqtgraph plot of the same
    core arrays keeps the window useful, and ``note`` says why.
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
        except Exception as e:  # the built-in view below keeps the window useful
            self.note = f"full survival plot not available ({type(e).__name__}: {e}); simple view shown"
            self._build_fallback(lay)

    def show_endpoint(self, project, t_index, e_index, time_unit="months", style="screen", show_ci=True):
        trial = ep = None
        try:
            if t_index is not None:
                trial = project.trials[t_index]
                ep = trial.endpoints[e_index] if e_index is not None else None
        except (IndexError, TypeError):
            trial = ep = None
        if self.widget is not None:
            w = self.widget
            # Settings first, then one redraw with all of them.
            w.set_view(time_unit if time_unit in ("months", "years", "weeks", "days") else "months",
                       style if style in ("screen", "presentation") else "screen", show_ci, redraw=False)
            w.set_endpoint(project, trial, ep)
            return
        self._draw_fallback(project, ep, time_unit, style, show_ci)

    # ------------------------------------------------------------------ fallback
    def _build_fallback(self, lay) -> None:
        import pyqtgraph as pg
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLabel("left", "Survival probability")
        self.plot.setLabel("bottom", "Time (months)")
        self.plot.setYRange(0, 1.02)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        lay.addWidget(self.plot)
        self.items = {}

    def _draw_fallback(self, project, ep, time_unit, style, show_ci) -> None:
        import pyqtgraph as pg

        from evidencegui.core.curves import endpoint_curves
        self.plot.clear()
        self.legend.clear()
        self.items = {}
        self.plot.setLabel("bottom", f"Time ({time_unit})")
        if ep is None:
            return
        width = 3 if style == "presentation" else 2
        curves = endpoint_curves(ep, project.ci_method, time_unit,
                                 data_unit=getattr(project, "time_unit", "months"))
        for i, curve in enumerate(curves):
            color = PALETTE[i % len(PALETTE)]
            dash = pg.QtCore.Qt.PenStyle.DashLine if curve.modelled else pg.QtCore.Qt.PenStyle.SolidLine
            self.items[curve.label] = self.plot.plot(curve.time, curve.survival,
                                                     pen=pg.mkPen(color, width=width, style=dash),
                                                     name=curve.label)
            if show_ci and curve.lower is not None and curve.upper is not None:
                c = pg.mkColor(color)
                c.setAlpha(40)
                self.plot.addItem(pg.FillBetweenItem(pg.PlotCurveItem(curve.time, curve.lower),
                                                     pg.PlotCurveItem(curve.time, curve.upper),
                                                     brush=pg.mkBrush(c)))


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


def _n(v, fmt="{:.2f}"):
    return "—" if v is None else fmt.format(v)


def comparison_html(trial, ep) -> str:
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
        rows = [("Median gain (months)", _n(d.get("median_gain"), "{:.1f}")),
                ("Median ratio", _n(d.get("median_ratio"))),
                ("HR (95% CI)", f"{_n(d.get('hr'))} ({_n((d.get('hr_ci') or [None, None])[0])}–"
                                f"{_n((d.get('hr_ci') or [None, None])[1])})"),
                ("SE of log HR", _n(d.get("hr_se"), "{:.3f}")),
                ("Relative reduction", _n(d.get("relative_reduction"), "{:.0%}"))]
        for lm in d.get("landmarks") or []:
            rows.append((f"Difference at {lm.get('time'):g} months",
                         f"{_n(lm.get('difference'), '{:+.1%}')} (NNT {lm.get('nnt') if lm.get('nnt') is not None else '—'})"))
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
