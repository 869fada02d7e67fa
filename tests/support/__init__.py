"""Shared test support: real servers and fixtures used by several test areas."""
