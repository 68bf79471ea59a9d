"""Writing: outputs reach the output folder all together, or not at all."""
