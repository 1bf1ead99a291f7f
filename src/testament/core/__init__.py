"""The casebook domain: records, vocabularies, dates, validation and errors.

This package does no I/O beyond reading its own vocabulary data files, and imports no web
framework, database driver or i18n library. Everything else in testament is built around it.
"""
