"""The one error type the parsers raise: it says where and what was expected."""


class ParseError(Exception):
    def __init__(self, source: str, line: int, expected: str, found: str = "") -> None:
        self.source = source
        self.line = line
        self.expected = expected
        self.found = found
        where = f"{source}:{line}" if line else source
        detail = f"; found {found!r}" if found else ""
        super().__init__(f"{where}: expected {expected}{detail}")
