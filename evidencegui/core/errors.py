"""The one error type for bad input: it names the file, the row and the field."""
from __future__ import annotations


class InputError(ValueError):
    """Bad user input. ``str(err)`` is one readable sentence naming where the problem is.

    file: path or name of the input file (None for typed values)
    row: 1-based row number as the user sees it in a spreadsheet/editor (header = row 1), or None
    field: column or field name, or None
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 field: str | None = None):
        self.message = message
        self.file = None if file is None else str(file)
        self.row = row
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        return (", ".join(where) + ": " + self.message) if where else self.message
