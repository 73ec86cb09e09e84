"""Rounds 2 and 3: placement batches and their matches, recruitment results, dispatches,
arrivals, manifests and contact cards."""
