"""The ``border-map`` command line."""
