"""Verifying: read an output back as a reader gets it and check what it really shows."""
