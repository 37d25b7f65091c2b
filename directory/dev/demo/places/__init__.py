"""The demo's sample of addresses and stations (see README.md here: approximate, hand-written)."""

import tempfile
import zipfile
from pathlib import Path

from directory.models import Street, TransitStation
from directory.places import services, transit
from directory.places.addresses import import_addresses

HERE = Path(__file__).resolve().parent


def load_if_empty():
    """Load the sample when no street and no station is stored (a real import is never
    overwritten); returns (streets, stations) created."""
    if Street.objects.exists() or TransitStation.objects.exists():
        return 0, 0
    addresses = import_addresses(HERE / "adresses-sample.csv")
    with tempfile.TemporaryDirectory() as folder:
        feed_path = Path(folder) / "gtfs.zip"
        with zipfile.ZipFile(feed_path, "w") as archive:
            for member in sorted((HERE / "gtfs").glob("*.txt")):
                archive.write(member, member.name)
        feed = transit.read_feed(feed_path)
    stations = services.stations_import(feed=feed)
    return addresses.created, stations.created
