"""Rendering: a View -> the bytes of one output file, one Builder per format.

Builders read the View and the templates folder, nothing else: no content
file, no catalog. See builder.py for what a format declares and registry.py
for the list of formats.
"""
