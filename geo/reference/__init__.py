"""Reference data: schema, gazetteer, provinces, border sectors."""
