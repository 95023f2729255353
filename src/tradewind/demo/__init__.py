"""The ``tradewind demo`` workspace: a realistic bilingual exporter with two sales teams."""
