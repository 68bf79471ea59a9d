"""The training deck (PPTX): planned as data (planner.py), then written (writer.py)."""
