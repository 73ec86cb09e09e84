"""Matching seekers to postings (round 2) and the occupation taxonomy both sides resolve names with."""
