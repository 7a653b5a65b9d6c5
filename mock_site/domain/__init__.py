"""The tutorial's rules in plain Python: no Flask here, so they are unit-tested without a server."""
