"""The services associations offer (the Service model, directory/models/offers.py): their editing in
the association space (`views.py`, `forms.py`, `services.py`), their quality score (`quality.py`),
their search codes and service-level search (`codes.py`, `search.py`), and their exchange with
data·inclusion: the vocabularies (`datainclusion.py`) and the import of the platform's v1 dumps
(`importer.py`, `manage.py import_datainclusion`)."""
