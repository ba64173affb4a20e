"""Pages and crawl files read into records: the lowest layer of the data flow."""
