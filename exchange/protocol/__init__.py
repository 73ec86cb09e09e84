"""The partner protocol: the outbox of events a home region authors, their payload schemas, the
handlers that apply a partner's events, and their delivery (a local call when both regions live
here; signed HTTP feeds otherwise)."""
