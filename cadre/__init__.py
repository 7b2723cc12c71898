"""Cadre: leadership and management development for public-service organisations."""
