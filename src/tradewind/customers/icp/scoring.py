"""Fit scores of companies against the ideal customer profiles."""


def rescore_company(company) -> None:
    """Recompute ``company.icp_score`` and ``icp_reasons`` after it or its contacts changed."""
