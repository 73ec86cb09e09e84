"""Money: transport claims, retention bonuses, income and training subsidies, approvals and
payments. Every figure comes from the pairing file."""
