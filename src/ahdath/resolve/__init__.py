"""Resolution of mentions to ACLED values: dates, places, actors, fatalities."""
