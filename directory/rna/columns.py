"""The columns of an RNA `rna_waldec` file: the one list the parser, the mapping, the sample
generator and the tests read.

The file is `;`-separated with a header of lower-case column names. The current layout has 39
columns; the 2018 layout had 41 (`telephone` after `dir_civilite`, `email` after `siteweb`).
The importer reads its columns by header name, so both layouts are accepted; the `adrg_*`
columns (the declarant's address), `dir_civilite`, `telephone` and `email` are never read.
"""

# Every column of the current layout, in the order of the file.
COLUMNS = (
    "id",
    "id_ex",
    "siret",
    "rup_mi",
    "gestion",
    "date_creat",
    "date_decla",
    "date_publi",
    "date_disso",
    "nature",
    "groupement",
    "titre",
    "titre_court",
    "objet",
    "objet_social1",
    "objet_social2",
    "adrs_complement",
    "adrs_numvoie",
    "adrs_repetition",
    "adrs_typevoie",
    "adrs_libvoie",
    "adrs_distrib",
    "adrs_codeinsee",
    "adrs_codepostal",
    "adrs_libcommune",
    "adrg_declarant",
    "adrg_complemid",
    "adrg_complemgeo",
    "adrg_libvoie",
    "adrg_distrib",
    "adrg_codepostal",
    "adrg_achemine",
    "adrg_pays",
    "dir_civilite",
    "siteweb",
    "publiweb",
    "observation",
    "position",
    "maj_time",
)

# The 2018 layout: the current one with the personal `telephone` and `email` columns.
_ADDED_IN_2018 = {"dir_civilite": "telephone", "siteweb": "email"}  # column → the one after it
COLUMNS_2018 = tuple(
    column for name in COLUMNS for column in (name, _ADDED_IN_2018.get(name)) if column is not None
)

# The columns the importer reads, in the order of the file; a file without one of them is refused.
REQUIRED_COLUMNS = (
    "id",
    "siret",
    "date_creat",
    "date_disso",
    "titre",
    "titre_court",
    "objet",
    "objet_social1",
    "objet_social2",
    "adrs_complement",
    "adrs_numvoie",
    "adrs_repetition",
    "adrs_typevoie",
    "adrs_libvoie",
    "adrs_distrib",
    "adrs_codeinsee",
    "adrs_codepostal",
    "adrs_libcommune",
    "siteweb",
    "publiweb",
    "position",
    "maj_time",
)

# Dates, checked (and "0001-01-01" or "null" emptied) on every row.
DATE_COLUMNS = ("date_creat", "date_decla", "date_publi", "date_disso")
