"""What a reader gets: the features read as the tutorial, ``docs/tutorial.{md,html}``, the
animated walkthrough (recorded during ``make figuras``, then assembled) and the proof view.

May import: :mod:`tutorial.figuras` (figure names, callouts), :mod:`tutorial.ci`
(the failure summary the proof view shows), ``mock_site.domain`` (the tutorial's world) and
:mod:`tutorial.actions` (the page objects' actions the walkthrough records).
"""
