"""The closed set of rule kinds, one module per kind, registered with ``base.kind``.

The loader imports every module of this package, so adding a kind means adding a file.
"""
