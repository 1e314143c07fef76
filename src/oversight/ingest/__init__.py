"""One module per publication: read a publisher's file, check it, hand clean rows to the store."""
