"""The rules over a loaded playbook: owners, freshness, audiences, closures, schedules, glossary,
goals, and the check pipeline that applies them all."""
