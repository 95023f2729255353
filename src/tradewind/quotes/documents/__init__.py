"""Quotation documents: one context built from a revision (``context``), rendered as a PDF
(``pdf``, WeasyPrint), an Excel workbook (``xlsx``, XlsxWriter) and the web preview — all from
the same data, so they never disagree."""
