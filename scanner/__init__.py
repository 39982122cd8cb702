"""Frames in, decoded and validated card data out. No Qt, no network."""
