"""Pairings: one sending region, one receiving region and their rules, read from
partner_configs/<pairing_id>.toml and validated at start-up."""
