"""Site stage: generated Markdown → MkDocs site (atomic or incremental), and where it may go."""
