"""Near an address, a station or a town hall: the BAN addresses and the TCL stations (imported
by `import_addresses` and `import_transit`), the in-memory index that resolves what a resident
types (`pres=12 rue de Marseille`), and the stations near each place."""
