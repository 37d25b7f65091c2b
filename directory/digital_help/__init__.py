"""Digital helpers: services, follow-ups, forms and the admin where moderators review profiles."""
