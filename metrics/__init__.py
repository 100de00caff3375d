"""WHAT the data means: indicators, weights, scores, reliability and related measures."""
