"""Settings: ``base`` holds everything; ``dev``, ``test`` and ``production`` adjust it.

The environment is read in one place, :mod:`config.settings.env`.
"""
