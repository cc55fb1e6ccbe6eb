"""Pipeline: runs the stages in order for ``check``, ``score``, ``build`` and ``serve``.

Takes: input paths, options and the catalogues, from the CLI or a script (``statuskart.run_build``).
Hands on: the results of whole runs — FileReports and scores, a built site, a preview server — and
cleans up after builds that were killed (``leftovers``).
"""
