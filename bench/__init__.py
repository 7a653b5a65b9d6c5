"""`make bench`: how fast the tutorial's figures regenerate, against a bare-Playwright floor.

bench.floor is the floor (the nine figures with Playwright alone), bench.measure runs things in a
temporary copy of the tree, bench.memory samples memory from /proc, bench.instrument and
bench.profile say where the time goes, bench.report writes the tables and bench/results.md.
"""
