"""A pure-Python stand-in for GNU gettext's `msgfmt`, for machines without gettext.

`python manage.py compilemessages` (directory/management/commands/compilemessages.py) runs it
in msgfmt's place when msgfmt is missing, with the arguments Django gives msgfmt:

    python -m directory.msgfmt [--check-format] [-f] -o django.mo django.po  (or: python -c …)

Compiling is polib's (requirements.txt). `--check-format` refuses a translation whose
placeholders differ from its msgid's (`%(name)s`, `%s`, `{n}`), as msgfmt's own check does for
python-format and python-brace-format entries: a broken placeholder would fail at render time.
Fuzzy entries are left out unless `-f` is given, as with msgfmt.
"""

import argparse
import re
import sys

import polib

PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})")


def _placeholders(text, entry):
    found = []
    if "python-format" in entry.flags:
        found += sorted(
            m.group(0) if m.group(1) is None else f"%({m.group(1)})" for m in PERCENT.finditer(text)
        )
        found = [p for p in found if p != "%%"]
    if "python-brace-format" in entry.flags:
        found += sorted(m.group(1) for m in BRACE.finditer(text))
    return found


def format_errors(po):
    """'line N: …' for each translation whose placeholders are not its msgid's."""
    errors = []
    for entry in po.translated_entries():
        pairs = [(entry.msgid, entry.msgstr)] if not entry.msgid_plural else []
        for index, translation in sorted(entry.msgstr_plural.items()):
            pairs.append((entry.msgid if index == 0 else entry.msgid_plural, translation))
        for source, translation in pairs:
            if translation and _placeholders(source, entry) != _placeholders(translation, entry):
                errors.append(f"line {entry.linenum}: placeholders of {translation!r} differ from {source!r}")
    return errors


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m directory.msgfmt", description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output-file", required=True)
    parser.add_argument("-c", "--check-format", action="store_true")
    parser.add_argument("-f", "--use-fuzzy", action="store_true")
    parser.add_argument("po_file")
    args = parser.parse_args(argv)
    try:
        po = polib.pofile(args.po_file)
    except (OSError, ValueError) as error:
        print(f"{args.po_file}: {error}", file=sys.stderr)
        return 1
    if args.check_format:
        errors = format_errors(po)
        if errors:
            print("\n".join(f"{args.po_file}: {error}" for error in errors), file=sys.stderr)
            return 1
    if args.use_fuzzy:
        for entry in po.fuzzy_entries():
            entry.flags.remove("fuzzy")
    po.save_as_mofile(args.output_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
