"""What a record's text names: languages, countries, places, organizations, titles."""
