"""Reusable pieces of the dashboard: charts, number formats, notices."""
