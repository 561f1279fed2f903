"""Small projects for the across-trials tests (numbers from the trials' abstracts, as in issue 11)."""
from evidencegui.core.model import Arm, Endpoint, Project, SubgroupResult, Trial

CDK = (("PALOMA-2", "Palbociclib+Letrozole", "Placebo+Letrozole", 0.58, 0.46, 0.72, 444, 222, 24.8, 14.5),
       ("MONALEESA-2", "Ribociclib+Letrozole", "Placebo+Letrozole", 0.56, 0.43, 0.72, 334, 334, 25.3, 16.0),
       ("MONARCH 3", "Abemaciclib+NSAI", "Placebo+NSAI", 0.54, 0.41, 0.72, 328, 165, 28.2, 14.8))


def cdk46() -> Project:
    trials = []
    for name, exp, ctl, hr, lo, hi, n_e, n_c, m_e, m_c in CDK:
        ep = Endpoint("PFS", [Arm(ctl, role="control", n=n_c, median=m_c, comparator="Aromatase inhibitor"),
                              Arm(exp, n=n_e, median=m_e, hr=hr, hr_lower=lo, hr_upper=hi,
                                  source=f"{name} abstract")])
        trials.append(Trial(name, [ep], source=f"{name} abstract"))
    return Project(trials, title="CDK4/6 inhibitors")


def her2() -> Project:
    """CLEOPATRA and PHILA PFS against the same control (HRs, medians and n as published).
    The subgroup rows on CLEOPATRA are made-up test values, not the trial's published subgroup
    results: they only exercise the subgroup forest plot and editor."""
    sub = [SubgroupResult("Age", "< 65 years", 0.65, 0.54, 0.78), SubgroupResult("Age", "≥ 65 years", 0.52, 0.31, 0.86),
           SubgroupResult("Region", "Europe", 0.72, 0.53, 0.97), SubgroupResult("Region", "Asia", 0.68, 0.48, 0.95)]
    cleo = Trial("CLEOPATRA", [Endpoint("PFS", [
        Arm("Placebo+Trastuzumab+Docetaxel", role="control", n=406, median=12.4),
        Arm("Pertuzumab+Trastuzumab+Docetaxel", n=402, median=18.7, hr=0.68, hr_lower=0.58,
            hr_upper=0.80, subgroups=sub)])])
    phila = Trial("PHILA", [Endpoint("PFS", [
        Arm("Placebo+Trastuzumab+Docetaxel", role="control", n=293, median=10.4),
        Arm("Pyrotinib+Trastuzumab+Docetaxel", n=297, median=24.3, hr=0.41, hr_lower=0.32, hr_upper=0.53)])])
    return Project([cleo, phila], title="HER2+ first line")
