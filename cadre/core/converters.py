"""Path converters. `<id:...>` is a database id: digits that fit a 64-bit column, so an address with
a huge number is a plain 404 rather than an error deep in the database driver."""


class DatabaseId:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
