"""Services: the unit of help an association offers (directory/models/offers.py): their search codes and service-level search."""
