"""The tooling behind the ``tutorial`` command and what the steps stand on, in four rooms by role,
plus the one command that drives them (``tutorial``, or ``python -m tutorial``).

- :mod:`.sitio`: the embedded mock and everything that talks to it (server, control client,
  customers).
- :mod:`.figuras`: the camera, the callouts, the comparison with the committed figure, its
  report, the pinned renderer and accepting a figure.
- :mod:`.ci`: what a pipeline needs from a run: shards, merged reports, test order, tiers,
  Cucumber JSON under xdist, Allure, the failure summary.
- :mod:`.documento`: what a reader gets: the features read as a tutorial, ``docs/``, the
  walkthrough and the proof view.
- :mod:`.cli`: ``tutorial``, the console script over all of them.
- :mod:`.actions`: the page objects' clicks, hovers and fills, told to whoever listens (the
  walkthrough records them); it imports nothing of ours, so any room may listen.

Each room's ``__init__`` says what it may import; ``tests/test_house_plan.py`` holds them to it.
Nothing here imports a step module or a page object: those stand on this, never the reverse.
"""
