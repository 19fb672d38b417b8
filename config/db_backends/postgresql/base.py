"""PostgreSQL, with test databases created with a UTF-8 character classification.

pg_trgm only makes trigrams from characters the database's LC_CTYPE calls alphanumeric; under
the "C" locale that excludes every Japanese character, so search would find nothing.
"""

from django.db.backends.postgresql import base, creation


class DatabaseCreation(creation.DatabaseCreation):
    TEST_LOCALE = "C.UTF-8"

    def sql_table_creation_suffix(self) -> str:
        suffix = super().sql_table_creation_suffix() or "WITH"
        return f"{suffix} LC_COLLATE '{self.TEST_LOCALE}' LC_CTYPE '{self.TEST_LOCALE}'"


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
