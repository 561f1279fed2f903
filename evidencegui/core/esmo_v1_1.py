"""ESMO-MCBS version 1.1 as data: forms, strata, grade tables, adjustments (read by core.benefit).

Source: Cherny NI et al., Ann Oncol 2017;28:2340–66 (doi:10.1093/annonc/mdx310); HR means the
lower limit of its 95% CI and the HR and gain conditions must both hold (Dafni et al., ESMO Open
2017;2:e000216). Cells marked [S] in ../shared/ESMO-MCBS.md come from secondary sources.

Shape (another version is another module with the same shape):
- a condition is (quantity, operator, threshold); quantities are named in QUANTITIES
- a route is a list of conditions that must all hold; a grade holds when any of its routes does
- a stratum has `when` (conditions selecting it) and `grades`: [(grade, [route, ...]), ...]
  from the highest grade down; the first grade with a route that holds is the grade
- quantities listed in a form's `optional` make a route fail (not "unknown") when missing
- an adjustment applies `change` when all `flags` are set and none of `unless` is
"""
from __future__ import annotations

VERSION = "1.1"

# quantity → (label in words, unit)
QUANTITIES = {
    "control_median": ("control median", "months"),
    "hr_ll": ("HR lower 95% limit", ""),
    "gain": ("gain", "months"),
    "landmark_gain_24": ("2-year survival increase", "points"),
    "landmark_gain_36": ("3-year survival increase", "points"),
    "landmark_gain_60": ("5-year survival increase", "points"),
    "pfs_median": ("median PFS", "months"),
    "orr": ("ORR", "%"),
    "dor": ("duration of response", "months"),
    "os_gain_late": ("OS improvement at >= 3 years", "points"),
    "endpoint_is_os": ("endpoint is OS", ""),
    "non_inferior_with_benefit": ("non-inferior with less toxicity or better QoL", ""),
}

# Landmark increases are absolute differences in survival probability (0.10 = 10 points);
# ORR is a proportion (0.60 = 60%).

_C12 = [("control_median", "<=", 12)]
_C24 = [("control_median", ">", 12), ("control_median", "<=", 24)]
_CGT24 = [("control_median", ">", 24)]

FORM_2A = {
    "id": "2a",
    "name": "Form 2a: non-curative setting, primary endpoint overall survival",
    "preliminary_max": 4, "final_max": 5, "final_min": 1,
    "requires_significance": True,
    "required": ("control_median", "hr_ll", "gain"),
    "optional": ("landmark_gain_24", "landmark_gain_36", "landmark_gain_60"),
    "strata": [
        {"label": "control median <= 12 months", "when": _C12, "grades": [
            (4, [[("hr_ll", "<=", 0.65), ("gain", ">=", 3)], [("landmark_gain_24", ">=", 0.10)]]),
            (3, [[("hr_ll", "<=", 0.65), ("gain", ">=", 2), ("gain", "<", 3)]]),
            (2, [[("hr_ll", "<=", 0.65), ("gain", ">=", 1.5), ("gain", "<", 2)],
                 [("hr_ll", ">", 0.65), ("hr_ll", "<=", 0.70), ("gain", ">=", 1.5)]]),
            (1, [[("hr_ll", ">", 0.70)], [("gain", "<", 1.5)]]),
        ]},
        {"label": "control median > 12 and <= 24 months", "when": _C24, "grades": [
            (4, [[("hr_ll", "<=", 0.70), ("gain", ">=", 5)], [("landmark_gain_36", ">=", 0.10)]]),
            (3, [[("hr_ll", "<=", 0.70), ("gain", ">=", 3), ("gain", "<", 5)]]),
            (2, [[("hr_ll", "<=", 0.70), ("gain", ">=", 1.5), ("gain", "<", 3)],
                 [("hr_ll", ">", 0.70), ("hr_ll", "<=", 0.75), ("gain", ">=", 1.5)]]),
            (1, [[("hr_ll", ">", 0.75)], [("gain", "<", 1.5)]]),
        ]},
        {"label": "control median > 24 months", "when": _CGT24, "grades": [
            (4, [[("hr_ll", "<=", 0.70), ("gain", ">=", 9)], [("landmark_gain_60", ">=", 0.10)]]),
            (3, [[("hr_ll", "<=", 0.70), ("gain", ">=", 6), ("gain", "<", 9)]]),
            (2, [[("hr_ll", "<=", 0.70), ("gain", ">=", 4), ("gain", "<", 6)],
                 [("hr_ll", ">", 0.70), ("hr_ll", "<=", 0.75), ("gain", ">=", 4)]]),
            (1, [[("hr_ll", ">", 0.75)], [("gain", "<", 4)]]),
        ]},
    ],
    "adjustments": [
        {"flags": ("qol_improved",), "unless": (), "change": +1,
         "reason": "significant quality-of-life improvement"},
        {"flags": ("toxicity_reduced",), "unless": ("qol_improved",), "change": +1,
         "reason": "significantly fewer grade 3-4 toxicities affecting daily well-being"},
    ],
}

_P6 = [("control_median", "<=", 6)]
_PGT6 = [("control_median", ">", 6)]

FORM_2B = {
    "id": "2b",
    "name": "Form 2b: non-curative setting, primary endpoint PFS or TTP",
    "preliminary_max": 3, "final_max": 4, "final_min": 1,
    "requires_significance": True,
    "required": ("control_median", "hr_ll", "gain"),
    "optional": (),
    "strata": [
        {"label": "control median <= 6 months", "when": _P6, "grades": [
            (3, [[("hr_ll", "<=", 0.65), ("gain", ">=", 1.5)]]),
            (2, [[("hr_ll", "<=", 0.65), ("gain", "<", 1.5)]]),
            (1, [[("hr_ll", ">", 0.65)]]),
        ]},
        {"label": "control median > 6 months", "when": _PGT6, "grades": [
            (3, [[("hr_ll", "<=", 0.65), ("gain", ">=", 3)]]),
            (2, [[("hr_ll", "<=", 0.65), ("gain", "<", 3)]]),
            (1, [[("hr_ll", ">", 0.65)]]),
        ]},
    ],
    "adjustments": [
        {"flags": ("qol_improved",), "unless": (), "change": +1,
         "reason": "improved quality of life or delayed deterioration of quality of life"},
        {"flags": ("toxicity_reduced",), "unless": (), "change": +1,
         "reason": "significantly fewer grade 3-4 toxicities"},
        {"flags": ("early_stopping_or_crossover",), "unless": (), "change": +1,
         "reason": "early stopping for benefit, or crossover"},
        {"flags": ("os_no_advantage",), "unless": ("qol_improved",), "change": -1,
         "reason": "only PFS improved: mature OS shows no advantage and QoL is not improved"},
        {"flags": ("toxicity_increased",), "unless": (), "change": -1,
         "reason": "significant increase in toxicity"},
    ],
}

FORM_3 = {
    "id": "3",
    "name": "Form 3: single-arm study in an orphan or high-unmet-need setting",
    "preliminary_max": 3, "final_max": 4, "final_min": 1,  # final maximum: not stated in our source
    "requires_significance": False,
    "required": (),
    "optional": ("pfs_median", "orr", "dor"),
    "needs_any": ("pfs_median", "orr"),
    "strata": [
        {"label": "single-arm study", "when": [], "grades": [
            (3, [[("pfs_median", ">=", 6)], [("orr", ">=", 0.60)],
                 [("orr", ">=", 0.20), ("orr", "<", 0.60), ("dor", ">=", 9)]]),
            (2, [[("pfs_median", ">=", 3), ("pfs_median", "<", 6)],
                 [("orr", ">=", 0.40), ("orr", "<", 0.60)],
                 [("orr", ">=", 0.20), ("orr", "<", 0.40), ("dor", ">=", 6), ("dor", "<", 9)]]),
            (1, [[("pfs_median", ">=", 2), ("pfs_median", "<", 3)],
                 [("orr", ">=", 0.20), ("orr", "<", 0.40), ("dor", "<", 6)],
                 [("orr", ">=", 0.10), ("orr", "<", 0.20), ("dor", ">=", 6)]]),
        ]},
    ],
    "adjustments": [
        {"flags": ("toxicity_increased",), "unless": (), "change": -1,
         "reason": ">= 30% grade 3-4 toxicities affecting daily well-being"},
        {"flags": ("qol_improved",), "unless": (), "change": +1, "reason": "improved quality of life"},
        {"flags": ("confirmatory_phase4",), "unless": (), "change": +1,
         "reason": "confirmatory phase 4 data"},
    ],
}

FORM_1 = {
    "id": "1",
    "name": "Form 1: curative setting (adjuvant, neoadjuvant)",
    "preliminary_max": "A", "final_max": "A", "final_min": "C",
    "requires_significance": True,
    "required": (),
    "optional": ("os_gain_late", "hr_ll", "non_inferior_with_benefit"),
    "strata": [
        {"label": "overall survival at >= 3 years", "when": [("endpoint_is_os", "==", 1)], "grades": [
            ("A", [[("os_gain_late", ">", 0.05)]]),
            ("B", [[("os_gain_late", ">=", 0.03), ("os_gain_late", "<=", 0.05)],
                   [("non_inferior_with_benefit", "==", 1)]]),
            ("C", [[("os_gain_late", "<", 0.03)]]),
        ]},
        {"label": "DFS/EFS primary with immature OS (HR lower 95% limit)",
         "when": [("endpoint_is_os", "==", 0)], "grades": [
            ("A", [[("hr_ll", "<", 0.65)]]),
            ("B", [[("hr_ll", ">=", 0.65), ("hr_ll", "<=", 0.80)],
                   [("non_inferior_with_benefit", "==", 1)]]),
            ("C", [[("hr_ll", ">", 0.80)]]),
        ]},
    ],
    "adjustments": [],
}

FORMS = {f["id"]: f for f in (FORM_1, FORM_2A, FORM_2B, FORM_3)}
GRADE_ORDER = {"1": ["C", "B", "A"]}          # letter grades, lowest first

# Which form grades which endpoint in the non-curative setting.
ENDPOINT_FORMS = {"OS": "2a", "PFS": "2b", "TTP": "2b"}
# A PFS/TTP trial whose OS is significantly improved is graded with this form on that endpoint.
SWITCH_TO_OS = {"form": "2a", "endpoint": "OS", "flag": "os_improved"}
