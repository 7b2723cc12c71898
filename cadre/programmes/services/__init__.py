"""Writes for programmes, by topic: the design of programmes and cohorts (`design`), applications
to offers and the waiting list (`applications`), sessions and attendance (`sessions`), portfolios
and completion (`portfolio`)."""
