"""Test helpers (stand-ins for outside services, builders of inputs)."""
