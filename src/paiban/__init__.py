"""paiban (排版): one YAML file in, a print-quality Chinese PDF briefing out."""

__version__ = "0.1.0"
