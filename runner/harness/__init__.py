"""Code that runs where the suite runs: inside the container, or in a local subprocess.

Two sides share this package. The trusted side (`entrypoint`, `run`, `plugin`,
`learner_process` (its handle on the learner's processes), `responses`, `scoring`) runs the
hidden tests; the learner side (`zygote`, with `wire`) runs the learner's app under another uid. Every module uses only relative imports so the package works under any name.
"""
