"""The partner protocol's machinery: the outbox of events a home region authors, the registry that
applies a partner's events (each feature declares its payloads and handlers), delivery (a local
call when both regions live here; signed HTTP feeds otherwise), reconciliation and offline bundles."""
