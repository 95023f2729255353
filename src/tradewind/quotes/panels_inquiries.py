"""My day: inquiries waiting for their first reply (filled in below)."""
