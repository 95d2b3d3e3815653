"""Text, dates, problems and patterns: the helpers every layer uses; imports nothing of the package."""
