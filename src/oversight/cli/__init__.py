"""The command line: parse, call the engine or the store, print. No computing here."""
