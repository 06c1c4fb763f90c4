"""A realistic submissions folder for the checker, with the violations it injects written down.

`python -m engine.checker.examples --out DIR --scale small|full` writes mesures.csv,
documents.csv, evenements.csv, fichiers/ (PDF, some signed with a throw-away certificate made at
run time, some tampered after signing; DOCX; damaged files) and verite.json (the ground truth).
"""
