"""`oversight fetch`: the latest published files, found on the publishers' own pages,
downloaded into a local cache (checksummed, resumable) and handed to ingest.

Sits beside :mod:`oversight.ingest`: it may use frameworks, ingest and store, never the faces.
"""
