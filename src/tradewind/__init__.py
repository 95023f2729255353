"""Tradewind: the export sales SOP."""
