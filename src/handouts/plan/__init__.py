"""Planning: what a build covers (topics, outputs, Views), readability, and the manifest."""
