"""The window's centre and right panels: the plot and comparison widgets of ui/survival_plot.py and
ui/comparison_panel.py when present, else small built-in views that draw what core computes."""
from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def _call(widget, names, *args, **kwargs) -> bool:
    for n in names:
        fn = getattr(widget, n, None)
        if callable(fn):
            fn(*args, **kwargs)
            return True
    return False


class PlotPanel(QWidget):
    """Shows the survival plot of the current endpoint."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.external = None
        self.note = ""
        try:
            from evidencegui.ui.survival_plot import SurvivalPlotWidget
            self.external = SurvivalPlotWidget(self)
            lay.addWidget(self.external)
            return
        except Exception as e:  # the built-in view below keeps the window useful
            self.note = f"full survival plot not available ({type(e).__name__}: {e}); simple view shown"
        import pyqtgraph as pg
        pg.setConfigOptions(antialias=True, background="w", foreground="k")
        self.plot = pg.PlotWidget()
        self.plot.setLabel("left", "Survival probability")
        self.plot.setLabel("bottom", "Time (months)")
        self.plot.setYRange(0, 1.02)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        lay.addWidget(self.plot)
        self.items = {}

    def show_endpoint(self, project, t_index, e_index, time_unit="months", style="screen", show_ci=True):
        if self.external is not None:
            trial = project.trials[t_index] if t_index is not None else None
            ep = trial.endpoints[e_index] if trial is not None and e_index is not None else None
            for args in ((project, trial, ep),):
                try:
                    if _call(self.external, ("set_endpoint", "show_endpoint", "set_project"), *args):
                        break
                except TypeError:
                    continue
            _call(self.external, ("set_time_unit",), time_unit)
            _call(self.external, ("set_style",), style)
            _call(self.external, ("set_show_ci",), show_ci)
            return
        import pyqtgraph as pg

        from evidencegui.core.curves import arm_curve
        self.plot.clear()
        self.legend.clear()
        self.items = {}
        self.plot.setLabel("bottom", f"Time ({time_unit})")
        try:
            arms = project.trials[t_index].endpoints[e_index].arms
        except (IndexError, TypeError):
            return
        width = 3 if style == "presentation" else 2
        for i, arm in enumerate(arms):
            try:
                curve = arm_curve(arm, project.ci_method)
            except Exception:
                curve = None
            if curve is None:
                continue
            curve = curve.in_unit(time_unit) if time_unit != curve.time_unit else curve
            color = PALETTE[i % len(PALETTE)]
            pen = pg.mkPen(color, width=width,
                           style=pg.QtCore.Qt.PenStyle.DashLine if curve.modelled else pg.QtCore.Qt.PenStyle.SolidLine)
            name = f"{arm.label} (n={arm.n if arm.n is not None else '?'})" + (" — modelled" if curve.modelled else "")
            item = self.plot.plot(curve.time, curve.survival, pen=pen, name=name)
            self.items[arm.label] = item
            if show_ci and curve.lower is not None and curve.upper is not None:
                lo = pg.PlotCurveItem(curve.time, curve.lower, pen=pg.mkPen(None))
                hi = pg.PlotCurveItem(curve.time, curve.upper, pen=pg.mkPen(None))
                c = pg.mkColor(color)
                c.setAlpha(40)
                self.plot.addItem(pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(c)))
            if len(curve.censor_time):
                self.plot.addItem(pg.ScatterPlotItem(curve.censor_time, curve.censor_survival, symbol="|",
                                                     size=8, pen=pg.mkPen(color), brush=pg.mkBrush(color)))


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
            try:
                _call(self.external, ("set_endpoint", "show_endpoint", "set_project"), project, trial, ep)
            except TypeError:
                _call(self.external, ("set_endpoint", "show_endpoint", "set_project"), project)
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
