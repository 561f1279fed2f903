"""QUndoStack over core commands: push applies once; undo/redo replay the pure inverses."""
from evidencegui.core import commands as c
from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.ui.undo import UndoController


def test_push_undo_redo(qtbot):
    p = Project(trials=[Trial("T", [Endpoint("OS", [Arm("A", n=10)])])])
    ctl = UndoController(p)
    seen = []
    ctl.applied.connect(seen.append)
    ctl.push(c.SetArmField(0, 0, 0, "n", 20))
    assert p.trials[0].endpoints[0].arms[0].n == 20 and not ctl.is_clean()
    ctl.stack.undo()
    assert p.trials[0].endpoints[0].arms[0].n == 10 and ctl.is_clean()
    ctl.stack.redo()
    assert p.trials[0].endpoints[0].arms[0].n == 20
    assert len(seen) == 3 and ctl.stack.undoText() == "set n"


def test_failed_command_is_not_recorded(qtbot):
    ctl = UndoController(Project())
    try:
        ctl.push(c.RemoveTrial(0))
    except c.CommandError:
        pass
    assert ctl.stack.count() == 0
