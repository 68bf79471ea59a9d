"""handouts: one content source per health topic -> patient handout, clinician brief, slides."""
