"""Shared ground every stage stands on: errors, bokmål messages, findings, identities, files.

Takes: nothing from other stages (core imports only the standard library and itself).
Hands on: ``StatuskartError`` and its kinds, ``messages`` (every text a user sees), ``Finding``,
unit and period identity, atomic writes, the cache folder and its seal, signal handling, the
process start method, and the package version.
"""
