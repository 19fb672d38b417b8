"""Whole-document structures the reader recognises (see ``importers.parsing.detect``)."""
