"""The services associations offer (the Service model, directory/models/offers.py): their editing in
the association space, their quality score, and their exchange with data·inclusion."""
