"""A Kaplan–Meier figure the tests draw themselves (Pillow), from patients made up here, so the
true curves, numbers at risk and pixel geometry are known exactly."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# plot geometry in image pixels (pixel centres): t = 0 at X0, t = T_MAX at X1; S = 0 at Y0, 1 at Y1
W, H = 900, 640
X0, X1, T_MAX = 100, 820, 30.0
Y0, Y1 = 520, 60
TICKS = (0, 6, 12, 18, 24, 30)
COLOURS = {"Control": (220, 30, 30), "Drug": (30, 60, 200)}


@dataclass
class Arm:
    name: str
    time: np.ndarray
    event: np.ndarray

    def km(self):
        """(event times, S after each) of the Kaplan–Meier estimate."""
        ts, ss, s = [], [], 1.0
        for t in np.unique(self.time[self.event == 1]):
            at_risk = int((self.time >= t).sum())
            d = int(((self.time == t) & (self.event == 1)).sum())
            s *= 1 - d / at_risk
            ts.append(float(t))
            ss.append(s)
        return np.array(ts), np.array(ss)

    def at_risk(self, times=TICKS) -> list[int]:
        return [int((self.time >= t).sum()) for t in times]

    def corners(self) -> list[tuple[float, float]]:
        """(time, S) at the start, the top and bottom of every drop, and the end."""
        ts, ss = self.km()
        out, prev = [(0.0, 1.0)], 1.0
        for t, s in zip(ts, ss):
            out += [(t, prev), (t, s)]
            prev = s
        out.append((float(self.time.max()), prev))
        return out


def make_arms(seed: int = 12, n: int = 50) -> list[Arm]:
    rng = np.random.default_rng(seed)
    arms = []
    for name, median in (("Control", 9.0), ("Drug", 16.0)):
        t = rng.exponential(median / np.log(2), n)
        c = np.minimum(rng.uniform(4, 40, n), T_MAX - 0.5)
        time = np.round(np.minimum(t, c), 2)
        arms.append(Arm(name, time, (t <= c).astype(int)))
    return arms


def to_px(t, s) -> tuple[float, float]:
    return X0 + (X1 - X0) * t / T_MAX, Y0 + (Y1 - Y0) * s


def draw(path, arms=None, fmt: str = "PNG"):
    """The figure as an image file; returns the arms drawn."""
    from PIL import Image, ImageDraw
    arms = arms or make_arms()
    im = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(im)
    d.line([(X0, Y1 - 10), (X0, Y0), (X1 + 10, Y0)], fill=(0, 0, 0), width=2)
    for t in TICKS:
        x, _ = to_px(t, 0)
        d.line([(x, Y0), (x, Y0 + 8)], fill=(0, 0, 0), width=2)
        d.text((x - 6, Y0 + 14), f"{t}", fill=(0, 0, 0))
    for k in range(6):
        _, y = to_px(0, k / 5)
        d.line([(X0 - 8, y), (X0, y)], fill=(0, 0, 0), width=2)
        d.text((X0 - 40, y - 6), f"{k / 5:.1f}", fill=(0, 0, 0))
    for arm in arms:
        pts = [to_px(t, s) for t, s in arm.corners()]
        d.line(pts, fill=COLOURS[arm.name], width=3)
    im.save(path, fmt)
    return arms


def draw_pdf(path, arms=None, figure_page: int = 2):
    """A PDF whose page ``figure_page`` holds the figure as a vector drawing (matplotlib): step
    curves with a legend, ticks, and the numbers at risk under the axis; the other page holds
    text only. Returns the arms drawn."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    arms = arms or make_arms()
    with PdfPages(path) as pdf:
        for page in (1, 2):
            fig = plt.figure(figsize=(7, 5))
            if page != figure_page:
                fig.text(0.1, 0.8, "Results", fontsize=16)
                fig.text(0.1, 0.7, "The figure is on the next page.")
                pdf.savefig(fig)
                plt.close(fig)
                continue
            ax = fig.add_axes((0.15, 0.3, 0.8, 0.65))
            for arm in arms:
                c = arm.corners()
                ax.step([p[0] for p in c], [p[1] for p in c], where="post",
                        color=[v / 255 for v in COLOURS[arm.name]], lw=1.5, label=arm.name)
            ax.set_xlim(0, T_MAX)
            ax.set_ylim(0, 1.02)
            ax.set_xticks(TICKS)
            ax.set_xlabel("Months")
            ax.set_ylabel("Overall survival")
            ax.legend(loc="upper right", frameon=False)
            fig.text(0.02, 0.14, "No. at risk", fontsize=9)
            for k, arm in enumerate(arms):
                y = 0.09 - 0.045 * k
                fig.text(0.02, y, arm.name, fontsize=9)
                for t, n in zip(TICKS, arm.at_risk()):
                    xf = 0.15 + 0.8 * t / T_MAX
                    fig.text(xf, y, str(n), fontsize=9, ha="center")
            pdf.savefig(fig)
            plt.close(fig)
    return arms
