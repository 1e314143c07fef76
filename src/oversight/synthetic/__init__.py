"""Synthetic attendance-level A&E records, for demos, tests and benchmarks only.

Every file written here is labelled synthetic (Parquet metadata); the records are drawn at
random so that their counts equal given monthly counts (published ones, usually) exactly.
They describe no real patient.
"""
