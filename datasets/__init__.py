"""WHAT the data is: one module per source, reference data, header aliases and normalisers."""
