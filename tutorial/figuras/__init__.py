"""The figures: the renderer they are shot with (pinned build, record), the camera and its
callouts, the comparison with the committed PNG, the HTML report and accepting a capture.

May import: nothing of the other rooms (figures work without a site, a document or a pipeline).
"""
