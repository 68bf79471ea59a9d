"""`handouts serve`: a local preview that rebuilds on save and reloads the open page.

state.py holds what the browser is told (build number, errors); watch.py
rebuilds what a save changed, through the ordinary build; server.py answers
the browser (the index, the outputs, server-sent events); pages.py writes
the index and the reload script.
"""
