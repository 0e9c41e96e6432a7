"""Finding mentions, assembling candidate events and merging them into ACLED units."""
