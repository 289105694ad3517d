"""Django 3.2's SQLite backend, with transactions begun IMMEDIATE.

Django 5.1 added OPTIONS["transaction_mode"]; with "IMMEDIATE" its backend begins every atomic block with
BEGIN IMMEDIATE, taking the write lock (waiting for it within the busy timeout) before the first read.
Django 3.2 begins with BEGIN (deferred): a transaction that reads first and then writes while another
connection holds the write lock fails at once with "database is locked", whatever the timeout.
"""
from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        self.cursor().execute("BEGIN IMMEDIATE")
