"""Development tools, outside the runtime code path: no view, URL or service imports them.

- demo/: fictional associations for a development database (`manage.py seed_demo`).
- bench/: the search benchmark (`manage.py bench`, docs/benchmarks.md).
"""
