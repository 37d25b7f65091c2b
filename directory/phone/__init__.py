"""Made for the phone in a resident's hand (issue 18): call, get directions and share a listing
in one tap (`sharing.py`, `vcard.py`), keep a list without an account (`mylist.py`, the list
itself lives in the browser's storage), and read kept pages without a connection
(`offline.py`, the service worker `templates/phone/sw.js`)."""
