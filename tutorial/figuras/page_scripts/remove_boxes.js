() => document.querySelectorAll('.tutorial-highlight').forEach((e) => e.remove())
