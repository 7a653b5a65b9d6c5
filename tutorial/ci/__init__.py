"""What a pipeline needs from a run: test tiers, longest-first order, shards and their merged
reports, Cucumber JSON under xdist, Allure attachments, the failure summary that names each
rule and step.

May import: :mod:`tutorial.figuras` (the figure report and its verdicts).
"""
