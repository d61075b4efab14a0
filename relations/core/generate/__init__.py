"""Generated data: realistic, reproducible records in bulk for load tests and demos.

``vocabulary`` holds the words (names in several scripts, places, titles, topics);
``generator`` turns a seed and row counts into records and inserts them in bulk.
"""
