"""Mentor matching: `cadre match-mentors --mentees MENTEES.csv --mentors MENTORS.csv --out
MATCHES.csv`. The engine is cadre.kernels.matching; the files are read and written by
cadre.matching.csvio; cadre.matching.services.run ties them together. See docs/matching.md."""
