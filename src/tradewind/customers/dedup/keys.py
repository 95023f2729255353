"""Duplicate-check keys of companies (implemented with the duplicate-check engine)."""


def refresh_company_keys(company) -> None:
    """Rebuild the duplicate-check keys of one company after it or its contacts changed."""
