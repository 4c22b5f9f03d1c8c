"""Test support shared by every app's tests (realistic data, database ids past 1,000)."""
