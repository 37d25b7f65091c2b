"""Digital helpers (issue 8, part 4): services, follow-ups and forms."""
