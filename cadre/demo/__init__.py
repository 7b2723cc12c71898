"""The demonstration: a made-up London borough, two partners and their regional network,
generated the same way every time (`generate.py`) and loaded in bulk (`services.py`)."""
