"""Live notes: the running bot re-indexes what is saved, sees other writers' ingests, and
takes notes from the chat."""
