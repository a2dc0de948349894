"""Device workers: the only ui files that touch drivers/ (card reader, camera, face provider).
Every call runs off the GUI thread; pages see plain app/ values."""
