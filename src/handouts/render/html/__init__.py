"""The web edition: the patient handout and the clinician brief as one self-contained HTML file each."""
