"""The dashboard: server-rendered pages (Jinja2, NHS.UK frontend), live or published as files."""
