"""Tests of the model layer: backends, router, decoding, tiny real models."""
