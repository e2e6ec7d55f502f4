"""Graph nodes: each `(state, runtime) -> partial update`, one concept per module."""
