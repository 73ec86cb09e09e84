"""Plumbing every feature shares: errors, clock, crypto, masking, scoping, pagination,
idempotency, the API decorator and the OpenAPI document."""
