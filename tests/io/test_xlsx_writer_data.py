"""Projects and PNGs for the export tests, built in code (published CLEOPATRA numbers)."""
from __future__ import annotations

import struct
import zlib

from evidencegui.core.model import Arm, Endpoint, Landmark, PatientData, Project, Trial

EXP = "Pertuzumab+Trastuzumab+Docetaxel"
CTL = "Placebo+Trastuzumab+Docetaxel"
HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1;1)", "+1+1", "-2+3", "=1+1"]


def cleopatra(patients: bool = False) -> Project:
    """Swain et al., NEJM 2015;372:724-34: OS 56.5 vs 40.8 months, HR 0.68 (0.56-0.84)."""
    os_ctl = Arm(CTL, role="control", n=406, events=221, median=40.8, median_lower=35.8,
                 median_upper=48.3, source="Swain 2015 NEJM, Fig. 1A")
    os_exp = Arm(EXP, n=402, events=168, median=56.5, median_lower=49.3, median_upper=None,
                 hr=0.68, hr_lower=0.56, hr_upper=0.84, p_value=0.0002,
                 source="Swain 2015 NEJM, Fig. 1A")
    pfs_ctl = Arm(CTL, role="control", n=406, median=12.4)
    pfs_exp = Arm(EXP, n=402, median=18.7, hr=0.68, hr_lower=0.58, hr_upper=0.80)
    if patients:
        for a, k in ((os_ctl, 0), (os_exp, 1)):
            t = [1.0 + 0.5 * i + k for i in range(60)]
            e = [1 if i % 3 else 0 for i in range(60)]
            a.patients = PatientData(t, e, origin="reconstructed", source="os_digitized.csv",
                                     reconstruction={"warnings": ["2 points out of order were sorted"]})
    return Project(trials=[Trial("CLEOPATRA", endpoints=[
        Endpoint("OS", arms=[os_exp, os_ctl], primary=True),
        Endpoint("PFS", arms=[pfs_exp, pfs_ctl])], source="NEJM 2015;372:724-34")],
        title="CLEOPATRA example")


def with_landmarks(p: Project) -> Project:
    os_ = p.trials[0].endpoints[0]
    os_.arm(EXP).landmarks = [Landmark(24, 0.37), Landmark(60, 0.46, 0.40, 0.52)]
    os_.arm(CTL).landmarks = [Landmark(24, 0.27), Landmark(60, 0.36)]
    return p


def hostile() -> Project:
    """Every user string a formula-injection attempt."""
    arms = [Arm(HOSTILE[1], role="control", n=100, events=50, median=10.0, source=HOSTILE[3]),
            Arm(HOSTILE[2], n=100, events=40, median=14.0, hr=0.7, hr_lower=0.5, hr_upper=0.9,
                source=HOSTILE[4])]
    return Project(trials=[Trial(HOSTILE[0], endpoints=[Endpoint(HOSTILE[4], arms=arms)],
                                 source=HOSTILE[0])], title=HOSTILE[2])


def png(width: int = 64, height: int = 40, rgb=(40, 90, 200)) -> bytes:
    """A valid RGB PNG written with zlib (no image library)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    row = b"\x00" + bytes(rgb) * width
    raw = row * height
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def cleopatra_reconstructed() -> Project:
    """The published CLEOPATRA numbers plus patient-level data reconstructed from the bundled
    digitized curves (core.reconstruct); the plain project when reconstruction is unavailable."""
    p = with_landmarks(cleopatra())
    try:
        from evidencegui.core.reconstruct import reconstruct
        from evidencegui.io.digitizer import read_at_risk, read_digitized
        from evidencegui.resources import resource
    except ImportError:
        return p
    for ep, stem in ((p.trials[0].endpoints[0], "os"), (p.trials[0].endpoints[1], "pfs")):
        curves = read_digitized(resource("examples", "cleopatra", f"{stem}_digitized.csv"))
        nar = read_at_risk(resource("examples", "cleopatra", f"{stem}_at_risk.csv"))
        for arm in ep.arms:
            c = curves[arm.label]
            r = reconstruct(c.t, c.s, nar.times, nar.counts[arm.label])
            arm.patients = PatientData([float(x) for x in r.time], [int(x) for x in r.event],
                                       origin="reconstructed", source=f"{stem}_digitized.csv",
                                       reconstruction={"warnings": list(r.warnings)})
    return p
