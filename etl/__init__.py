"""HOW data gets in: readers, normalisation, validation, loading, warehouse DDL and demo data."""
