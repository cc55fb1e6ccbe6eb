"""Site stage: a docs folder → the static site, with MkDocs behind one module (``engine``).

Takes: the pages from the render stage, the user's site settings (mkdocs.yml, extra pages, CSS;
untrusted) and the output folder the user named.
Hands on: the finished site, swapped into place only when the folder may be replaced
(``output_folder``), rebuilding only pages that changed (``incremental``).
"""
