"""Services and their exchange with data·inclusion: the vocabularies (`datainclusion.py`) and the
import of the platform's v1 dumps (`importer.py`, `manage.py import_datainclusion`)."""
