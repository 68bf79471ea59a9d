"""Loading: a topic folder -> one validated Document (folder.py), or every problem in it.

Loaders only read: topic.yaml, the Markdown, the bibliography. They know
nothing of PDF or PPTX; everything after them reads only the model. This
package's root imports nothing, so that reading topic.yaml alone (the
up-to-date check) does not load the Markdown parser.
"""
