"""Catalogue stage: versioned requirement catalogues (YAML) → Catalogue objects.

Takes: the catalogue files shipped in ``catalog/data/`` or a folder the user names (untrusted YAML,
read by ``safe_yaml``).
Hands on: ``Catalogue`` (phases, requirements, scale, sources, earlier versions) and the changes
between versions (``changes``), which every later stage reads and none changes.
"""
