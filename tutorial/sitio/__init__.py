"""The embedded site: the mock started in the test process, its control API's client, the
customers a scenario creates.

May import: ``mock_site`` (to start it). No other room of ``tutorial``.
"""
