"""`make medir`: the tutorial's figures against a bare-Playwright floor, QA's make pruebas, memory.

bench.floor is the floor, bench.measure runs things in a temporary copy of the tree (pytest's own
timings, bench.memory's psutil sampling), bench.sections and bench.report write the tables.
"""
